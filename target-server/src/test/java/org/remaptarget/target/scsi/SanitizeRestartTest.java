package org.remaptarget.target.scsi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.remaptarget.target.scsi.Harness.assertGood;
import static org.remaptarget.target.scsi.Harness.assertSense;
import static org.remaptarget.target.scsi.Harness.data;
import static org.remaptarget.target.scsi.Harness.pattern;
import static org.remaptarget.target.scsi.Harness.rw10;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.remaptarget.target.lun.FailingImageStore;
import org.remaptarget.target.lun.ImageStore;
import org.remaptarget.target.lun.LunSettings;
import org.remaptarget.target.lun.MemoryImageStore;
import org.remaptarget.target.lun.SanitizeOperation;
import org.remaptarget.target.lun.SanitizeState;
import org.remaptarget.target.scsi.sbc.SbcCommands;

/** A SANITIZE survives a restart: an interrupted one runs again, a failed one stays failed, nothing reads between. */
class SanitizeRestartTest {
    private static final LunSettings THIN = LunSettings.defaults(Harness.IQN, 0).withThin(true);

    private final MemoryImageStore store = new MemoryImageStore();
    private final RecordingDevice device = new RecordingDevice(Harness.BS, Harness.BLOCKS);

    /** The logical unit as a (re)start opens it: over the same device and sanitize record. */
    private Harness start() {
        return new Harness(THIN, Runnable::run, device, new SanitizeState(store, "test.sanitize"));
    }

    private static void awaitEnd(Harness h) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (h.lu.sanitize().inProgress() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertFalse(h.lu.sanitize().inProgress(), "sanitize still running after 20 s");
    }

    @Test
    void anOverwriteInterruptedByARestartRunsAgainFromTheStartBeforeAnythingReadsTheMedium() throws Exception {
        Harness before = start();
        assertGood(before.run(rw10(0x2A, 0, 100, 1), pattern(512, 4)));
        // the power goes out right after the operation was recorded: nothing was overwritten yet
        byte[] expected = new byte[512];
        Arrays.fill(expected, (byte) 0xC3); // INVERT: the last of the two passes writes the pattern as given
        assertTrue(before.lu.sanitize().begin(new SanitizeOperation(SanitizeOperation.OVERWRITE, expected, 2,
                true)));

        Harness after = start();
        assertTrue(after.lu.sanitize().inProgress(), "a reopened LU comes up with its sanitize running");
        assertSense(after.run(rw10(0x28, 0, 100, 1)), SenseReason.NOT_READY_SANITIZE_IN_PROGRESS);
        SbcCommands.resumeInterruptedSanitize(after.lu);
        awaitEnd(after);
        assertArrayEquals(expected, data(after.run(rw10(0x28, 0, 100, 1))));
        assertArrayEquals(expected, data(after.run(rw10(0x28, 0, (int) Harness.BLOCKS - 1, 1))));
        assertEquals(SanitizeState.Phase.IDLE, new SanitizeState(store, "again").phase(),
                "the finished operation is recorded, so the next start does not run it again");
    }

    @Test
    void aBlockEraseInterruptedByARestartLeavesEveryBlockReadingZerosOnceResumed() throws Exception {
        Harness before = start();
        assertGood(before.run(rw10(0x2A, 0, 7, 2), pattern(1024, 9)));
        assertTrue(before.lu.sanitize().begin(SanitizeOperation.erase(SanitizeOperation.BLOCK_ERASE)));

        Harness after = start();
        SbcCommands.resumeInterruptedSanitize(after.lu);
        awaitEnd(after);
        assertArrayEquals(new byte[1024], data(after.run(rw10(0x28, 0, 7, 2))));
    }

    @Test
    void aFailedSanitizeStaysFailedAcrossARestartUntilExitFailureMode() throws Exception {
        Harness before = start();
        assertTrue(before.lu.sanitize().begin(SanitizeOperation.erase(SanitizeOperation.CRYPTO_ERASE)));
        before.lu.sanitize().end(false);

        Harness after = start();
        assertSense(after.run(rw10(0x28, 0, 0, 1)), SenseReason.SANITIZE_COMMAND_FAILED);
        assertGood(after.run(SanitizeTest.sanitize(0x1F, 0)));
        assertGood(after.run(rw10(0x28, 0, 0, 1)));
        assertEquals(SanitizeState.Phase.IDLE, new SanitizeState(store, "again").phase());
    }

    @Test
    void anUnreadableSanitizeRecordFailsMediumAccessUntilASanitizeSucceeds() throws Exception {
        Harness before = start();
        assertTrue(before.lu.sanitize().begin(SanitizeOperation.erase(SanitizeOperation.BLOCK_ERASE)));
        byte[] torn = store.load();
        torn[torn.length - 1] ^= 0x55;
        store.save(torn);

        Harness after = start();
        assertTrue(after.lu.sanitize().failed());
        assertSense(after.run(rw10(0x28, 0, 0, 1)), SenseReason.SANITIZE_COMMAND_FAILED);
        assertGood(after.run(SanitizeTest.sanitize(0x02, 0)));
        assertGood(after.run(rw10(0x28, 0, 0, 1)));
    }

    @Test
    void aSanitizeWhoseRecordCannotBeWrittenIsRefusedAndErasesNothing() throws Exception {
        ImageStore broken = new FailingImageStore();
        Harness h = new Harness(THIN, Runnable::run, device, new SanitizeState(broken, "broken.sanitize"));
        assertGood(h.run(rw10(0x2A, 0, 3, 1), pattern(512, 2)));
        assertSense(h.run(SanitizeTest.sanitize(0x02, 0)), SenseReason.INTERNAL_TARGET_FAILURE);
        assertFalse(h.lu.sanitize().inProgress());
        assertArrayEquals(pattern(512, 2), data(h.run(rw10(0x28, 0, 3, 1))));
    }

    @Test
    void exitFailureModeWhoseRecordCannotBeWrittenIsRefusedAndTheMediumStaysFailed() throws Exception {
        Harness before = start();
        assertTrue(before.lu.sanitize().begin(SanitizeOperation.erase(SanitizeOperation.BLOCK_ERASE)));
        before.lu.sanitize().end(false);
        ImageStore full = new FailingImageStore(store.load()); // the FAILED record, and no room for another
        Harness h = new Harness(THIN, Runnable::run, device, new SanitizeState(full, "full.sanitize"));
        assertSense(h.run(SanitizeTest.sanitize(0x1F, 0)), SenseReason.INTERNAL_TARGET_FAILURE);
        assertTrue(h.lu.sanitize().failed());
        assertSense(h.run(rw10(0x28, 0, 0, 1)), SenseReason.SANITIZE_COMMAND_FAILED);
    }

    @Test
    void anOperationEndingWhileTheLogicalUnitClosesStaysRecordedForTheNextStart() throws Exception {
        Harness before = start();
        SanitizeOperation op = SanitizeOperation.erase(SanitizeOperation.BLOCK_ERASE);
        assertTrue(before.lu.sanitize().begin(op));
        assertFalse(before.lu.sanitize().close(0), "still running when the close gave up waiting");
        before.lu.sanitize().end(false); // the job stopped early because the LU closed

        SanitizeState next = new SanitizeState(store, "next");
        assertTrue(next.inProgress());
        assertEquals(op, next.interrupted().orElseThrow());
        assertTrue(next.interrupted().isEmpty(), "handed out once");
    }
}
