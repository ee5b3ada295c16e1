package org.remaptarget.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.remaptarget.remap.engine.Remap;
import org.remaptarget.remap.engine.RemapVolume;
import org.remaptarget.remap.fault.FaultInjectingDevice;
import org.remaptarget.remap.fault.FaultOp;
import org.remaptarget.remap.fault.FaultOutcome;
import org.remaptarget.remap.fault.FaultRule;
import org.remaptarget.remap.fault.FaultTrigger;
import org.remaptarget.remap.stats.Health;
import org.remaptarget.target.admin.AdminServer;
import org.remaptarget.target.api.RemapTarget;
import org.remaptarget.target.testing.TestInitiator;

/**
 * Remapped LUNs seen through QEMU's iSCSI driver while the backing device fails underneath (in-process server, fault
 * rules on the backing device below the remap engine): no acknowledged write is lost, no read invents data, and the
 * grown defect list read with READ DEFECT DATA is exactly the set of remapped blocks.
 */
class RemapFaultsIT {
    private static final long SIZE = 64L << 20;
    private static final int BLOCK = 512;

    @TempDir
    Path dir;
    private RemapTarget server;
    private AdminServer admin;

    @AfterEach
    void stop() {
        if (admin != null) {
            admin.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private RemapVolume volume() {
        return server.lun(TestTargets.IQN, 0).volume().orElseThrow();
    }

    private FaultInjectingDevice faults() {
        return server.lun(TestTargets.IQN, 0).faults().orElseThrow();
    }

    /** A medium-error rule on LUN blocks {@code [lba, lba+blocks)}, translated to backing-device LBAs. */
    private void failWrites(long lba, long blocks, FaultTrigger trigger) {
        faults().addRule(new FaultRule(EnumSet.of(FaultOp.WRITE), volume().backingLbaOfData(lba), blocks, trigger,
                new FaultOutcome.MediumError(), 0));
    }

    private Set<Long> remappedLbas() {
        Set<Long> s = new TreeSet<>();
        for (Remap r : volume().remaps()) {
            s.add(r.lba());
        }
        return s;
    }

    private long[] defectListOverIscsi() throws Exception {
        try (ScsiProbe p = ScsiProbe.connect(server.addresses().get(0), TestTargets.IQN, 0)) {
            return p.grownDefects(0);
        }
    }

    private Tools.Result qemuIo(List<String> commands) throws Exception {
        return Tools.run(120, Qemu.io(server.url(), commands));
    }

    @Test
    void patternsWrittenWhileBlocksStartFailingAllReadBackAndTheDefectListIsExactlyTheRemappedBlocks()
            throws Exception {
        Tools.require("qemu-io");
        server = TestTargets.start(dir, SIZE, false);
        // blocks that accept their first write and fail every later one: single blocks at and around chunk
        // boundaries, and a 16-block extent inside one chunk
        long[] single = {5, 127, 128, 1000, 2049, 4095};
        for (long lba : single) {
            failWrites(lba, 1, new FaultTrigger.AfterCalls(1));
        }
        failWrites(3000, 16, new FaultTrigger.AfterCalls(1));
        Set<Long> expected = new TreeSet<>();
        LongStream.of(single).forEach(expected::add);
        LongStream.range(3000, 3016).forEach(expected::add);

        long region = 4096L * BLOCK;
        List<String> first = new ArrayList<>();
        for (long off = 0; off < region; off += 65536) {
            first.add("write -P 0x5a " + off + " 65536");
        }
        List<String> second = new ArrayList<>();
        List<String> verify = new ArrayList<>();
        for (long off = 0; off < region; off += 49152) {
            long len = Math.min(49152, region - off);
            second.add("write -P 0xa5 " + off + " " + len);
            verify.add("read -P 0xa5 " + off + " " + len);
        }

        Tools.Result w1 = qemuIo(first);
        assertEquals(first.size(), Qemu.wroteOffsets(w1.output()).size(), w1.output());
        assertTrue(remappedLbas().isEmpty(), "nothing failed yet: " + remappedLbas());
        Tools.Result w2 = qemuIo(second);
        assertEquals(second.size(), Qemu.wroteOffsets(w2.output()).size(), "every write acknowledged:\n"
                + w2.output());
        assertFalse(w2.output().contains("failed"), w2.output());

        Tools.Result r = qemuIo(verify);
        assertEquals(verify.size(), Qemu.readOffsets(r.output()).size(), r.output());
        assertFalse(r.output().contains("Pattern verification failed"), r.output());
        assertEquals(expected, remappedLbas(), "exactly the failing blocks were remapped");
        assertTrue(volume().pending().isEmpty(), "nothing pending: " + volume().pending());
        assertArrayEquals(expected.stream().mapToLong(Long::longValue).toArray(), defectListOverIscsi(),
                "READ DEFECT DATA lists the remapped LBAs");
        assertTrue(faults().totalFirings() >= expected.size(), "the rules did fire");
    }

    @Test
    void aBlockUnreadableBeforeItWasWrittenFailsTheReadWithMediumErrorAtItsLbaUntilAWriteRemapsIt()
            throws Exception {
        Tools.require("qemu-io");
        server = TestTargets.start(dir, SIZE, false);
        long bad = 777;
        faults().addRule(FaultRule.of(FaultOp.READ, volume().backingLbaOfData(bad), 1,
                new FaultOutcome.MediumError()));
        long off = bad * BLOCK;

        Tools.Result read = qemuIo(List.of("read " + off + " " + BLOCK));
        assertTrue(Qemu.failure("READ", bad, 3, 0x1100).matcher(read.output()).find(), read.output());
        assertTrue(Qemu.readOffsets(read.output()).isEmpty(), "no data was invented: " + read.output());
        assertEquals(List.of(bad), volume().pending(), "the block is pending reallocation");
        try (ScsiProbe p = ScsiProbe.connect(server.addresses().get(0), TestTargets.IQN, 0)) {
            TestInitiator.Reply r = p.read(0, bad - 3, 8);
            assertEquals("03/11/00", r.senseCode(), "a multi-block read fails with UNRECOVERED READ ERROR");
            assertEquals(bad, ScsiProbe.information(r.sense()), "INFORMATION names the failing block, not the first");
        }

        Tools.Result write = qemuIo(List.of("write -P 0x6b " + off + " " + BLOCK));
        assertEquals(List.of(off), Qemu.wroteOffsets(write.output()), write.output());
        Tools.Result again = qemuIo(List.of("read -P 0x6b " + off + " " + BLOCK));
        assertEquals(List.of(off), Qemu.readOffsets(again.output()), again.output());
        assertFalse(again.output().contains("verification failed"), again.output());
        assertEquals(Set.of(bad), remappedLbas());
        assertTrue(volume().pending().isEmpty());
        assertArrayEquals(new long[] {bad}, defectListOverIscsi());
    }

    @Test
    void withTheSparesUsedUpANewlyFailingBlockGetsWriteErrorHealthIsFailedAndOtherBlocksKeepWorking()
            throws Exception {
        Tools.require("qemu-io");
        server = TestTargets.start(dir, SIZE, false, 4L * BLOCK);
        long spares = volume().stats().sparesTotal();
        assertTrue(spares >= 1 && spares <= 8, "a tiny spare area: " + spares);
        List<Long> failing = new ArrayList<>();
        for (long i = 0; i < spares + 2; i++) {
            failing.add(100 + 100 * i);
            failWrites(100 + 100 * i, 1, new FaultTrigger.Always());
        }
        List<String> writes = new ArrayList<>();
        for (long lba : failing) {
            writes.add("write -P 0x" + Long.toHexString(0x10 + lba / 100) + " " + lba * BLOCK + " " + BLOCK);
        }

        Tools.Result w = qemuIo(writes);

        List<Long> remapped = failing.subList(0, (int) spares);
        assertEquals(remapped.stream().map(l -> l * BLOCK).toList(), Qemu.wroteOffsets(w.output()),
                "the writes that found a spare were acknowledged:\n" + w.output());
        for (long lba : failing.subList((int) spares, failing.size())) {
            assertTrue(Qemu.failure("WRITE", lba, 3, 0x0c02).matcher(w.output()).find()
                    || Qemu.failure("WRITE", lba, 3, 0x3200).matcher(w.output()).find(),
                    "LBA " + lba + " gets MEDIUM ERROR 0C/02 or 32/00:\n" + w.output());
        }
        assertEquals(Health.FAILED, volume().health());
        assertEquals(new TreeSet<>(remapped), remappedLbas());

        // other blocks keep working, and the remapped ones keep their data
        List<String> rest = new ArrayList<>(List.of("write -P 0x77 " + 5000 * BLOCK + " 65536",
                "read -P 0x77 " + 5000 * BLOCK + " 65536"));
        for (long lba : remapped) {
            rest.add("read -P 0x" + Long.toHexString(0x10 + lba / 100) + " " + lba * BLOCK + " " + BLOCK);
        }
        Tools.Result r = qemuIo(rest);
        assertEquals(1, Qemu.wroteOffsets(r.output()).size(), r.output());
        assertEquals(rest.size() - 1, Qemu.readOffsets(r.output()).size(), r.output());
        assertFalse(r.output().contains("verification failed"), r.output());

        // operators see it: Prometheus metrics and `remap-target status`
        Path token = dir.resolve("admin.token");
        Files.writeString(token, "it-token-0123456789\n");
        admin = new AdminServer(server, new InetSocketAddress("127.0.0.1", 0), "it-token-0123456789");
        String adminAddr = "127.0.0.1:" + admin.address().getPort();
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://" + adminAddr + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        String labels = "target=\"" + TestTargets.IQN + "\",lun=\"0\"";
        assertTrue(metrics.body().contains("remap_target_lun_health{" + labels + ",state=\"FAILED\"} 1"),
                metrics.body());
        assertTrue(metrics.body().contains("remap_target_lun_health{" + labels + ",state=\"OK\"} 0"),
                metrics.body());
        java.util.regex.Matcher hits = java.util.regex.Pattern.compile("remap_target_lun_spare_cache_blocks_total\\{"
                + java.util.regex.Pattern.quote(labels) + ",result=\"hit\"} (\\d+)").matcher(metrics.body());
        assertTrue(hits.find() && Long.parseLong(hits.group(1)) >= remapped.size(),
                "the remapped blocks were read back from the spare cache (each was cached by its remap):\n"
                        + metrics.body());
        Tools.Result status = Tools.run(60, Cli.command("status", "--admin", adminAddr, "--token-file",
                token.toString()));
        assertTrue(status.ok(), status.output());
        assertTrue(status.output().matches("(?s).*\"health\"\\s*:\\s*\"FAILED\".*"), status.output());
    }

    @Test
    void withTheSparesUsedUpLogSenseInformationalExceptionsPageReportsFailurePredicted() throws Exception {
        server = TestTargets.start(dir, SIZE, false, 4L * BLOCK);
        try (ScsiProbe p = ScsiProbe.connect(server.addresses().get(0), TestTargets.IQN, 0)) {
            TestInitiator.Reply before = p.logSense(0, 0x2f);
            org.junit.jupiter.api.Assumptions.assumeFalse("05/20/00".equals(before.senseCode()),
                    "LOG SENSE is not implemented in this build (the wt-ops branch brings it)");
            assertEquals(0, before.status(), before.senseCode());
            assertEquals(0, informationalExceptionAsc(before.data()), "no exception while spares are left");
            long spares = volume().stats().sparesTotal();
            for (long i = 0; i < spares; i++) {
                volume().remapNow(100 + i);
            }
            assertEquals(Health.FAILED, volume().health());
            TestInitiator.Reply after = p.logSense(0, 0x2f);
            assertEquals(0x5d, informationalExceptionAsc(after.data()),
                    "INFORMATIONAL EXCEPTION ADDITIONAL SENSE CODE 5Dh (failure prediction threshold exceeded)");
        }
    }

    /** The IE ASC of parameter 0000h of LOG SENSE page 2Fh. */
    private static int informationalExceptionAsc(byte[] page) {
        assertEquals(0x2f, page[0] & 0x3f, "page code");
        int end = 4 + (((page[2] & 0xff) << 8) | (page[3] & 0xff));
        for (int off = 4; off + 4 <= Math.min(end, page.length); off += 4 + (page[off + 3] & 0xff)) {
            if (page[off] == 0 && page[off + 1] == 0) {
                return page[off + 4] & 0xff;
            }
        }
        throw new AssertionError("no parameter 0000h in page 2Fh");
    }
}
