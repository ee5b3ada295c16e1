package com.example;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.remaptarget.junit.RemapTargetTest;
import org.remaptarget.remap.fault.FaultOp;
import org.remaptarget.remap.fault.FaultOutcome;
import org.remaptarget.remap.fault.FaultRule;
import org.remaptarget.remap.fault.FaultTrigger;
import org.remaptarget.target.api.RemapTarget;

/**
 * What a team testing their own storage client would write: a real iSCSI target in the test JVM, a real client
 * (QEMU's iscsi driver, standing in for "your initiator"), and disk blocks that start failing on command.
 */
@RemapTargetTest(size = 64L << 20)
class FailingDiskTest {

    private static String qemuIo(String url, String command) throws Exception {
        Process p = new ProcessBuilder("qemu-io", "-f", "raw", "-c", command, url).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "qemu-io timed out");
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void writesToFailingBlocksAreRemappedAndReadBack(RemapTarget target) throws Exception {
        var lun = target.lun(target.targetNames().get(0), 0);
        var volume = lun.volume().orElseThrow();
        // blocks 2048..2055 (1 MiB in) now fail every write at the device level
        lun.faults().orElseThrow().addRule(new FaultRule(EnumSet.of(FaultOp.WRITE), volume.backingLbaOfData(2048),
                8, new FaultTrigger.Always(), new FaultOutcome.MediumError(), 0));

        String w = qemuIo(target.url(), "write -P 0x42 1M 4k");
        assertTrue(w.contains("wrote 4096/4096 bytes"), w);
        String r = qemuIo(target.url(), "read -P 0x42 1M 4k");
        assertTrue(r.contains("read 4096/4096 bytes") && !r.contains("verification failed"), r);
        assertTrue(volume.remaps().size() == 8, "remapped: " + volume.remaps());
    }

    @Test
    void anUnreadableBlockIsReportedAsAMediumErrorNotAsZeros(RemapTarget target) throws Exception {
        var lun = target.lun(target.targetNames().get(0), 0);
        var volume = lun.volume().orElseThrow();
        lun.faults().orElseThrow().addRule(new FaultRule(EnumSet.of(FaultOp.READ), volume.backingLbaOfData(8192),
                1, new FaultTrigger.Always(), new FaultOutcome.MediumError(), 0));
        String r = qemuIo(target.url(), "read 4M 512");
        assertTrue(r.contains("failed at lba 8192"), r);
    }
}
