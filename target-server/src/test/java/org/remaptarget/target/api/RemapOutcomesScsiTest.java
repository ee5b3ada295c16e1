package org.remaptarget.target.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.remaptarget.remap.device.ManualTimeSource;
import org.remaptarget.remap.device.MemoryBlockDevice;
import org.remaptarget.remap.engine.FormatOptions;
import org.remaptarget.remap.engine.OpenOptions;
import org.remaptarget.remap.engine.Remap;
import org.remaptarget.remap.engine.RemapVolume;
import org.remaptarget.remap.fault.FaultOp;
import org.remaptarget.remap.fault.FaultOutcome;
import org.remaptarget.remap.fault.FaultRule;
import org.remaptarget.remap.stats.Health;
import org.remaptarget.remap.table.IncrementalRemapTable;
import org.remaptarget.target.backend.DeviceBackend;
import org.remaptarget.target.lun.LogicalUnit;
import org.remaptarget.target.lun.LunSettings;
import org.remaptarget.target.scsi.Nexus;
import org.remaptarget.target.scsi.ScsiResult;
import org.remaptarget.target.scsi.ScsiTask;
import org.remaptarget.target.scsi.SenseReason;
import org.remaptarget.target.scsi.TargetCore;
import org.remaptarget.target.scsi.TaskAttribute;

/**
 * The remap engine's outcomes as an initiator sees them: a real remap volume (memory device, fault injection)
 * under a logical unit wired exactly as {@link LunHandle} wires it, driven with CDBs at the ScsiTask level.
 * Faults are deterministic rules on single blocks.
 */
class RemapOutcomesScsiTest {
    private static final String IQN = "iqn.2026-11.org.remaptarget:outcomes";
    private static final int BS = 512;
    private static final long BLOCKS = 1024;

    private final Nexus nexus = new Nexus("iqn.1994-05.com.example:a", 0x23d000000001L, IQN, 1, 1);
    private RemapVolume volume;
    private LogicalUnit lu;
    private TargetCore core;
    private long tags;

    private void open(long spares, int degradedPercent) throws IOException {
        FormatOptions f = FormatOptions.of(BS, BLOCKS, spares);
        MemoryBlockDevice dev = new MemoryBlockDevice(BS, f.layout(false).backingBlocks());
        RemapVolume.format(dev, null, f);
        volume = RemapVolume.open(dev, OpenOptions.defaults(IncrementalRemapTable::new).withFaultInjection(true)
                .withTime(new ManualTimeSource()).withName("outcomes").withDegradedPercent(degradedPercent));
        lu = new LogicalUnit(LunSettings.defaults(IQN, 0),
                new DeviceBackend(volume.device(), new LunHandle.VolumeHealth(volume)));
        core = new TargetCore(IQN, List.of(lu), Runnable::run);
    }

    @AfterEach
    void close() throws IOException {
        if (volume != null) {
            volume.close();
        }
    }

    // ---- plumbing ----

    private ScsiResult run(byte[] cdb, byte[] out) {
        AtomicReference<ScsiResult> r = new AtomicReference<>();
        int len = out == null ? 0 : out.length;
        core.submit(new ScsiTask(nexus, 0, cdb, TaskAttribute.SIMPLE, ++tags, out == null ? 1 << 20 : len,
                out == null, out != null, out, len, r::set));
        assertNotNull(r.get());
        return r.get();
    }

    private ScsiResult run(byte[] cdb) {
        return run(cdb, null);
    }

    private static byte[] cdb(int... b) {
        byte[] c = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            c[i] = (byte) b[i];
        }
        return c;
    }

    private static byte[] rw10(int op, long lba, int blocks) {
        return cdb(op, 0, (int) (lba >>> 24) & 0xff, (int) (lba >>> 16) & 0xff, (int) (lba >>> 8) & 0xff,
                (int) lba & 0xff, 0, blocks >>> 8, blocks & 0xff, 0);
    }

    private static byte[] pattern(int blocks, int seed) {
        byte[] d = new byte[blocks * BS];
        for (int i = 0; i < d.length; i++) {
            d[i] = (byte) (i * 17 + seed * 31 + (i >>> 9));
        }
        return d;
    }

    private ScsiResult write(long lba, byte[] data) {
        return run(rw10(0x2A, lba, data.length / BS), data);
    }

    private byte[] read(long lba, int blocks) {
        ScsiResult r = run(rw10(0x28, lba, blocks));
        assertGood(r);
        return Arrays.copyOf(r.dataIn(), r.dataInLength());
    }

    private void failWrites(long lba) {
        volume.faults().addRule(FaultRule.of(FaultOp.WRITE, volume.backingLbaOfData(lba), 1,
                new FaultOutcome.MediumError()));
    }

    private void failReads(long lba) {
        volume.faults().addRule(FaultRule.of(FaultOp.READ, volume.backingLbaOfData(lba), 1,
                new FaultOutcome.MediumError()));
    }

    /** MODE SELECT(6) of page 01h with AWRE, PER and the read retry count; ARRE on, write retry 3. */
    private void selectErrorRecovery(boolean awre, boolean per, int readRetries) {
        selectErrorRecovery(awre, true, per, readRetries);
    }

    private void selectErrorRecovery(boolean awre, boolean arre, boolean per, int readRetries) {
        byte[] list = new byte[4 + 12];
        list[4] = 0x01;
        list[5] = 0x0A;
        list[6] = (byte) ((awre ? 0x80 : 0) | (arre ? 0x40 : 0) | (per ? 0x04 : 0));
        list[7] = (byte) readRetries;
        list[12] = 3;
        assertGood(run(cdb(0x15, 0x10, 0, 0, list.length, 0), list));
    }

    private void selectInformationalExceptions(int flags, int mrie) {
        byte[] list = new byte[4 + 12];
        list[4] = 0x1C;
        list[5] = 0x0A;
        list[6] = (byte) flags;
        list[7] = (byte) mrie;
        assertGood(run(cdb(0x15, 0x10, 0, 0, list.length, 0), list));
    }

    private static void assertGood(ScsiResult r) {
        assertEquals(ScsiResult.GOOD, r.status(), () -> "expected GOOD, sense " + Arrays.toString(r.sense()));
    }

    private static void assertSense(ScsiResult r, SenseReason reason) {
        assertEquals(ScsiResult.CHECK_CONDITION, r.status(), "CHECK CONDITION");
        byte[] s = r.sense();
        assertEquals(reason.key(), s[2] & 0x0f, "sense key");
        assertEquals(reason.asc(), s[12] & 0xff, "ASC");
        assertEquals(reason.ascq(), s[13] & 0xff, "ASCQ");
    }

    private static long information(ScsiResult r) {
        byte[] s = r.sense();
        assertTrue((s[0] & 0x80) != 0, "VALID");
        return ((s[3] & 0xffL) << 24) | ((s[4] & 0xff) << 16) | ((s[5] & 0xff) << 8) | (s[6] & 0xff);
    }

    private static long u64(byte[] d, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (d[off + i] & 0xff);
        }
        return v;
    }

    /** Parameter {@code code}'s 8-byte value in a log page whose parameters are all 12 bytes long. */
    private byte[] logPage(int page) {
        ScsiResult r = run(cdb(0x4D, 0, 0x40 | page, 0, 0, 0, 0, 0x04, 0, 0));
        assertGood(r);
        return Arrays.copyOf(r.dataIn(), r.dataInLength());
    }

    private static long counter(byte[] page, int code) {
        for (int p = 4; p + 4 <= page.length; p += 4 + (page[p + 3] & 0xff)) {
            if ((((page[p] & 0xff) << 8) | (page[p + 1] & 0xff)) == code) {
                return u64(page, p + 4);
            }
        }
        throw new AssertionError("no parameter " + code);
    }

    // ---- writes ----

    @Test
    void aWriteToAFailingBlockCompletesGoodAndItsDataLandsOnASpare() throws IOException {
        open(8, 80);
        failWrites(103);
        byte[] data = pattern(8, 1);
        assertGood(write(100, data));
        assertEquals(List.of(new Remap(103, 0)), volume.remaps());
        assertArrayEquals(data, read(100, 8));
    }

    @Test
    void withPerSetAReallocatedWriteReportsRecoveredError0C01NamingTheBlockAndKeepsTheData() throws IOException {
        open(8, 80);
        selectErrorRecovery(true, true, 3);
        failWrites(105);
        byte[] data = pattern(8, 2);
        ScsiResult r = write(100, data);
        assertSense(r, SenseReason.WRITE_ERROR_RECOVERED_WITH_AUTO_REALLOCATION);
        assertEquals(105, information(r));
        assertEquals(8L * BS, r.transferLength(), "the whole transfer completed");
        assertArrayEquals(data, read(100, 8));
        assertGood(write(100, data)); // the block now lives on its spare: nothing more to recover
    }

    @Test
    void writeAndVerifyReportsTheReallocationTooWhenPerIsSet() throws IOException {
        open(8, 80);
        selectErrorRecovery(true, true, 3);
        failWrites(7);
        byte[] data = pattern(2, 3);
        ScsiResult r = run(rw10(0x2E, 6, 2), data);
        assertSense(r, SenseReason.WRITE_ERROR_RECOVERED_WITH_AUTO_REALLOCATION);
        assertEquals(7, information(r));
        assertArrayEquals(data, read(6, 2));
    }

    @Test
    void aWriteWithNoSpareLeftFailsWithAutoReallocationFailedNamingTheBlock() throws IOException {
        open(2, 80);
        failWrites(10);
        failWrites(11);
        failWrites(12);
        assertGood(write(10, pattern(2, 4)));
        ScsiResult r = write(12, pattern(1, 5));
        assertSense(r, SenseReason.WRITE_ERROR_AUTO_REALLOCATION_FAILED);
        assertEquals(12, information(r));
    }

    @Test
    void clearingAwreReturnsTheWriteErrorNamingTheBlockInsteadOfReallocating() throws IOException {
        open(8, 80);
        selectErrorRecovery(false, false, 3);
        assertEquals(false, volume.device().options().autoReallocateOnWrite());
        failWrites(42);
        ScsiResult r = write(40, pattern(4, 6));
        assertSense(r, SenseReason.WRITE_ERROR);
        assertEquals(42, information(r));
        assertTrue(volume.remaps().isEmpty());
    }

    // ---- reads ----

    @Test
    void aMultiBlockReadNamesTheExactUnreadableBlockInInformation() throws IOException {
        open(8, 80);
        assertGood(write(200, pattern(16, 7)));
        failReads(209);
        ScsiResult r = run(rw10(0x28, 200, 16));
        assertSense(r, SenseReason.UNRECOVERED_READ_ERROR);
        assertEquals(209, information(r));
        assertEquals(List.of(209L), volume.pending());
    }

    @Test
    void anUnreadableBlockIsReallocatedByTheNextWriteAndReportedWhenPerIsSet() throws IOException {
        open(8, 80);
        failReads(300);
        assertSense(run(rw10(0x28, 300, 1)), SenseReason.UNRECOVERED_READ_ERROR);
        selectErrorRecovery(true, true, 3);
        ScsiResult r = write(300, pattern(1, 8));
        assertSense(r, SenseReason.WRITE_ERROR_RECOVERED_WITH_AUTO_REALLOCATION);
        assertEquals(300, information(r));
        assertArrayEquals(pattern(1, 8), read(300, 1));
    }

    /** Fails the multi-block read and the block's own first attempt; its retry succeeds. */
    private void flakyRead(long lba) {
        volume.faults().addRule(FaultRule.of(FaultOp.READ, volume.backingLbaOfData(lba), 1,
                new FaultOutcome.MediumError()).withMaxFirings(2));
    }

    @Test
    void aReadRecoveredByARetryIsGoodWhenPerIsClear() throws IOException {
        open(8, 80);
        assertGood(write(400, pattern(4, 20)));
        flakyRead(402);
        assertArrayEquals(pattern(4, 20), read(400, 4));
    }

    @Test
    void withPerSetAndArreClearAReadRecoveredByARetryReportsRecoveredError1701WithAllItsData() throws IOException {
        open(8, 80);
        selectErrorRecovery(true, false, true, 3);
        assertGood(write(400, pattern(4, 21)));
        flakyRead(402);
        ScsiResult r = run(rw10(0x28, 400, 4));
        assertSense(r, SenseReason.RECOVERED_DATA_WITH_RETRIES);
        assertEquals(402, information(r));
        assertArrayEquals(pattern(4, 21), Arrays.copyOf(r.dataIn(), r.dataInLength()));
        assertTrue(volume.remaps().isEmpty());
    }

    @Test
    void withArreTheDefaultAReadRecoveredByARetryMovesTheBlockAndReports1706WhenPerIsSet() throws IOException {
        open(8, 80);
        assertEquals(true, volume.device().options().autoReallocateOnRead(), "ARRE is on in the default page");
        selectErrorRecovery(true, true, true, 3);
        assertGood(write(400, pattern(4, 22)));
        flakyRead(401);
        ScsiResult r = run(rw10(0x28, 400, 4));
        assertSense(r, SenseReason.RECOVERED_DATA_AUTO_REALLOCATED);
        assertEquals(401, information(r));
        assertEquals(List.of(new Remap(401, 0)), volume.remaps());
        assertArrayEquals(pattern(4, 22), Arrays.copyOf(r.dataIn(), r.dataInLength()));
    }

    @Test
    void theReadRetryCountOfPage01hBecomesTheEnginesReadRetriesAndResetRestoresIt() throws IOException {
        open(8, 80);
        assertEquals(3, volume.device().options().readRetries(), "the mode page default is in force from the start");
        selectErrorRecovery(true, false, 0);
        assertEquals(0, volume.device().options().readRetries());
        volume.faults().addRule(FaultRule.of(FaultOp.READ, volume.backingLbaOfData(60), 1,
                new FaultOutcome.MediumError()).withMaxFirings(1));
        assertSense(run(rw10(0x28, 60, 1)), SenseReason.UNRECOVERED_READ_ERROR);
        lu.reset();
        assertEquals(3, volume.device().options().readRetries());
        assertEquals(true, volume.device().options().autoReallocateOnWrite());
    }

    @Test
    void aReadRetryCountAboveTheEnginesLimitIsClampedNotRefused() throws IOException {
        open(8, 80);
        selectErrorRecovery(true, false, 255);
        assertEquals(100, volume.device().options().readRetries());
    }

    // ---- REASSIGN BLOCKS and READ DEFECT DATA ----

    private static byte[] reassignList(long... lbas) {
        byte[] d = new byte[4 + 4 * lbas.length];
        d[3] = (byte) (4 * lbas.length);
        for (int i = 0; i < lbas.length; i++) {
            for (int b = 0; b < 4; b++) {
                d[4 + 4 * i + b] = (byte) (lbas[i] >>> (24 - 8 * b));
            }
        }
        return d;
    }

    @Test
    void reassignBlocksMovesEachLbaToASpareKeepingItsDataAndTheGrownListShowsThem() throws IOException {
        open(8, 80);
        byte[] data = pattern(10, 9);
        assertGood(write(0, data));
        assertGood(run(cdb(0x07, 0, 0, 0, 0, 0), reassignList(5, 9)));
        assertEquals(List.of(new Remap(5, 0), new Remap(9, 1)), volume.remaps());
        failReads(5); // the old place is gone for good: the data must come from the spare
        assertArrayEquals(data, read(0, 10));
        ScsiResult r = run(cdb(0x37, 0, 0x08, 0, 0, 0, 0, 0, 64, 0));
        assertGood(r);
        assertEquals(8, r.dataIn()[3]);
        assertEquals(5, r.dataIn()[7]);
        assertEquals(9, r.dataIn()[11]);
    }

    @Test
    void reassignBlocksInLongLbaFormReassignsTheLba() throws IOException {
        open(8, 80);
        byte[] d = new byte[4 + 8];
        d[3] = 8;
        d[11] = 77;
        assertGood(run(cdb(0x07, 0x02, 0, 0, 0, 0), d));
        assertEquals(List.of(new Remap(77, 0)), volume.remaps());
    }

    @Test
    void reassignWithNoSpareLeftIsHardwareError3200NamingTheFirstLbaNotReassigned() throws IOException {
        open(2, 80);
        ScsiResult r = run(cdb(0x07, 0, 0, 0, 0, 0), reassignList(1, 2, 3));
        assertSense(r, SenseReason.NO_DEFECT_SPARE_LOCATION_AVAILABLE);
        assertEquals(3, r.sense()[11], "COMMAND-SPECIFIC INFORMATION");
        assertEquals(List.of(new Remap(1, 0), new Remap(2, 1)), volume.remaps());
    }

    @Test
    void reassigningAnUnreadableBlockNeverInventsDataAndItsNextWriteLandsOnASpare() throws IOException {
        open(8, 80);
        failReads(50);
        assertGood(run(cdb(0x07, 0, 0, 0, 0, 0), reassignList(50)));
        assertSense(run(rw10(0x28, 50, 1)), SenseReason.UNRECOVERED_READ_ERROR);
        assertGood(write(50, pattern(1, 10)));
        assertEquals(List.of(new Remap(50, 0)), volume.remaps());
        assertArrayEquals(pattern(1, 10), read(50, 1));
    }

    // ---- health and log pages ----

    @Test
    void spareUseAboveTheThresholdIsReportedAsRecoveredError5D00UnderMrie4() throws IOException {
        open(4, 50);
        for (long lba : new long[] {1, 2, 3}) {
            failWrites(lba);
        }
        assertGood(write(1, pattern(3, 11)));
        assertEquals(Health.DEGRADED, volume.health());
        selectInformationalExceptions(0, 4);
        assertGood(run(cdb(0, 0, 0, 0, 0, 0))); // TEST UNIT READY never carries it (libiscsi connects with it)
        assertSense(run(rw10(0x28, 0, 1)), SenseReason.FAILURE_PREDICTION_RECOVERED);
        assertGood(run(rw10(0x28, 0, 1)));
    }

    @Test
    void mrie3ReportsTheFailurePredictionOnlyWhenPerIsSet() throws IOException {
        open(4, 50);
        for (long lba : new long[] {1, 2, 3}) {
            failWrites(lba);
        }
        assertGood(write(1, pattern(3, 12)));
        selectInformationalExceptions(0, 3);
        assertGood(run(rw10(0x28, 0, 1)));
        selectErrorRecovery(true, true, 3);
        assertSense(run(rw10(0x28, 0, 1)), SenseReason.FAILURE_PREDICTION_RECOVERED);
    }

    @Test
    void informationalExceptionsLogPageShows5D00OnceTheVolumeIsDegraded() throws IOException {
        open(4, 50);
        assertEquals(0, logPage(0x2F)[8]);
        for (long lba : new long[] {1, 2, 3}) {
            failWrites(lba);
        }
        assertGood(write(1, pattern(3, 13)));
        byte[] p = logPage(0x2F);
        assertEquals(0x5D, p[8] & 0xff);
        assertEquals(0x00, p[9]);
    }

    @Test
    void writeErrorCounterPageCountsReallocationsRetriesBytesAndUncorrectedErrors() throws IOException {
        open(1, 80);
        failWrites(20);
        failWrites(21);
        assertGood(write(20, pattern(1, 14)));
        assertSense(write(21, pattern(1, 15)), SenseReason.WRITE_ERROR_AUTO_REALLOCATION_FAILED);
        byte[] p = logPage(0x02);
        assertEquals(1, counter(p, 0x0003), "errors corrected: reallocations");
        assertEquals(1, counter(p, 0x0006), "uncorrected: no spare left");
        assertTrue(counter(p, 0x0002) >= 2, "rewrites: one retry of each failing block");
        assertEquals(2L * BS, counter(p, 0x0005), "bytes processed");
    }

    @Test
    void readErrorCounterPageCountsUnrecoveredReadsRereadsAndBytes() throws IOException {
        open(8, 80);
        assertGood(write(0, pattern(4, 16)));
        read(0, 4);
        failReads(2);
        assertSense(run(rw10(0x28, 0, 4)), SenseReason.UNRECOVERED_READ_ERROR);
        byte[] p = logPage(0x03);
        assertEquals(1, counter(p, 0x0006), "uncorrected");
        assertEquals(3, counter(p, 0x0002), "rereads: the default three retries");
        assertTrue(counter(p, 0x0005) >= 4L * BS, "bytes processed");
    }

    @Test
    void logSelectResetOfTheWriteErrorPageZeroesTheWriteCountersOnly() throws IOException {
        open(8, 80);
        failWrites(20);
        assertGood(write(20, pattern(1, 18)));
        assertGood(write(0, pattern(2, 18)));
        read(0, 2);
        assertGood(run(cdb(0x4C, 0x02, 0x40 | 0x02, 0, 0, 0, 0, 0, 0, 0)));
        byte[] w = logPage(0x02);
        assertEquals(0, counter(w, 0x0003), "reallocations counted again from zero");
        assertEquals(0, counter(w, 0x0005), "bytes written counted again from zero");
        assertEquals(2L * BS, counter(logPage(0x03), 0x0005), "the read counters are kept");
        assertEquals(1, counter(logPage(0x30), 0x0000), "gauges are not counters: still one block remapped");
        assertGood(write(0, pattern(1, 19)));
        assertEquals(BS, counter(logPage(0x02), 0x0005));
    }

    @Test
    void remapLogPageReportsRemappedPendingSparesAndHealth() throws IOException {
        open(4, 50);
        failWrites(1);
        failWrites(2);
        failWrites(3);
        assertGood(write(1, pattern(3, 17)));
        failReads(500);
        assertSense(run(rw10(0x28, 500, 1)), SenseReason.UNRECOVERED_READ_ERROR);
        byte[] p = logPage(0x30);
        assertEquals(3, counter(p, 0x0000), "remapped");
        assertEquals(1, counter(p, 0x0001), "pending");
        assertEquals(3, counter(p, 0x0002), "spares used");
        assertEquals(4, counter(p, 0x0004), "spares total");
        assertEquals(1, counter(p, 0x0005), "spares free");
        assertEquals(1, counter(p, 0x0006), "health DEGRADED");
    }
}
