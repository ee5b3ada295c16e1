package org.remaptarget.target.scsi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.remaptarget.target.scsi.Harness.assertGood;
import static org.remaptarget.target.scsi.Harness.assertSense;
import static org.remaptarget.target.scsi.Harness.cdb;
import static org.remaptarget.target.scsi.Harness.data;
import static org.remaptarget.target.scsi.Harness.pattern;
import static org.remaptarget.target.scsi.Harness.rw10;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.remaptarget.target.lun.LunSettings;
import org.remaptarget.target.lun.SanitizeOperation;

/** SANITIZE service actions, their parameter checks, and what other commands see during and after. */
class SanitizeTest {
    private final Harness h = new Harness(LunSettings.defaults(Harness.IQN, 0).withThin(true));

    /** Puts the LU in IN_PROGRESS as an IMMED sanitize leaves it while its background job runs. */
    private static void beginErase(Harness h) throws IOException {
        assertTrue(h.lu.sanitize().begin(SanitizeOperation.erase(SanitizeOperation.BLOCK_ERASE)));
    }

    static byte[] sanitize(int flagsAndSa, int len) {
        return cdb(0x48, flagsAndSa, 0, 0, 0, 0, 0, len >>> 8, len & 0xff, 0);
    }

    static byte[] overwriteParams(int count, byte... pattern) {
        byte[] d = new byte[4 + pattern.length];
        d[0] = (byte) count;
        d[3] = (byte) pattern.length;
        System.arraycopy(pattern, 0, d, 4, pattern.length);
        return d;
    }

    @Test
    void overwriteFillsEveryBlockWithTheRepeatedPattern() {
        assertGood(h.run(rw10(0x2A, 0, 7, 1), pattern(512, 3)));
        byte[] p = overwriteParams(1, (byte) 0xA5, (byte) 0x5A);
        assertGood(h.run(sanitize(0x01, p.length), p));
        byte[] back = data(h.run(rw10(0x28, 0, 7, 1)));
        for (int i = 0; i < 512; i++) {
            assertEquals(i % 2 == 0 ? (byte) 0xA5 : (byte) 0x5A, back[i]);
        }
    }

    @Test
    void blockEraseLeavesEveryBlockReadingZeros() {
        assertGood(h.run(rw10(0x2A, 0, 4000, 2), pattern(1024, 6)));
        assertGood(h.run(sanitize(0x02, 0)));
        assertArrayEquals(new byte[1024], data(h.run(rw10(0x28, 0, 4000, 2))));
    }

    @Test
    void overwriteWithAZeroPassCountIsInvalidFieldInParameterList() {
        byte[] p = overwriteParams(0, (byte) 1);
        assertSense(h.run(sanitize(0x01, p.length), p), SenseReason.INVALID_FIELD_IN_PARAMETER_LIST);
    }

    @Test
    void overwriteWithAParameterListOfFourBytesIsInvalidFieldInCdb() {
        assertSense(h.run(sanitize(0x01, 4), new byte[4]), SenseReason.INVALID_FIELD_IN_CDB);
    }

    @Test
    void blockEraseWithAParameterListIsInvalidFieldInCdb() {
        assertSense(h.run(sanitize(0x02, 8), new byte[8]), SenseReason.INVALID_FIELD_IN_CDB);
    }

    @Test
    void reservedBitInByteOneIsInvalidFieldInCdb() {
        assertSense(h.run(sanitize(0x42, 0)), SenseReason.INVALID_FIELD_IN_CDB);
    }

    @Test
    void unknownServiceActionIsInvalidFieldInCdb() {
        assertSense(h.run(sanitize(0x04, 0)), SenseReason.INVALID_FIELD_IN_CDB);
    }

    @Test
    void softwareWriteProtectMakesSanitizeDataProtect() {
        h.lu.replaceMode(h.lu.mode(), h.lu.mode().withSwp(true));
        assertSense(h.run(sanitize(0x02, 0)), SenseReason.SOFTWARE_WRITE_PROTECTED);
    }

    @Test
    void readOnlyLuMakesSanitizeDataProtect() {
        Harness ro = new Harness(LunSettings.defaults(Harness.IQN, 0).withReadOnly(true));
        assertSense(ro.run(sanitize(0x02, 0)), SenseReason.WRITE_PROTECTED);
    }

    @Test
    void commandsDuringASanitizeAreNotReadySanitizeInProgressExceptInquiry() throws IOException {
        beginErase(h); // as an IMMED sanitize leaves it while its background job runs
        assertSense(h.run(cdb(0x00, 0, 0, 0, 0, 0)), SenseReason.NOT_READY_SANITIZE_IN_PROGRESS);
        assertSense(h.run(rw10(0x28, 0, 0, 1)), SenseReason.NOT_READY_SANITIZE_IN_PROGRESS);
        assertGood(h.run(cdb(0x12, 0, 0, 0, 96, 0)));
        h.lu.sanitize().end(true);
        assertGood(h.run(cdb(0x00, 0, 0, 0, 0, 0)));
    }

    @Test
    void notReadyDuringSanitizeCarriesItsProgressAndRequestSenseReportsIt() throws IOException {
        beginErase(h);
        h.lu.sanitize().setProgress(1, 4);
        ScsiResult r = h.run(cdb(0x00, 0, 0, 0, 0, 0));
        assertSense(r, SenseReason.NOT_READY_SANITIZE_IN_PROGRESS);
        assertEquals(0x80, r.sense()[15] & 0xff, "SKSV, progress indication");
        assertEquals(0x4000, ((r.sense()[16] & 0xff) << 8) | (r.sense()[17] & 0xff));
        byte[] s = data(h.run(cdb(0x03, 0, 0, 0, 18, 0)));
        assertEquals(0x02, s[2] & 0x0F);
        assertEquals(0x04, s[12]);
        assertEquals(0x1B, s[13]);
    }

    @Test
    void afterAFailedSanitizeReadsFailUntilExitFailureMode() throws IOException {
        beginErase(h);
        h.lu.sanitize().end(false);
        assertSense(h.run(rw10(0x28, 0, 0, 1)), SenseReason.SANITIZE_COMMAND_FAILED);
        assertGood(h.run(sanitize(0x1F, 0)));
        assertGood(h.run(rw10(0x28, 0, 0, 1)));
        assertTrue(!h.lu.sanitize().failed());
    }
}
