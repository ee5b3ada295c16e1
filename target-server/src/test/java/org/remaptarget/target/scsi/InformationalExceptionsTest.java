package org.remaptarget.target.scsi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.remaptarget.target.scsi.Harness.assertGood;
import static org.remaptarget.target.scsi.Harness.assertSense;
import static org.remaptarget.target.scsi.Harness.cdb;
import static org.remaptarget.target.scsi.Harness.data;
import static org.remaptarget.target.scsi.Harness.rw10;

import org.junit.jupiter.api.Test;

/** Page 1Ch: failure prediction and the TEST bit, reported per MRIE. */
class InformationalExceptionsTest {
    private static final byte[] TUR = cdb(0, 0, 0, 0, 0, 0);

    private final Harness h = new Harness();

    private void selectIe(int flags, int mrie) {
        byte[] list = new byte[4 + 12];
        list[4] = 0x1C;
        list[5] = 0x0A;
        list[6] = (byte) flags;
        list[7] = (byte) mrie;
        assertGood(h.run(cdb(0x15, 0x10, 0, 0, list.length, 0), list));
    }

    @Test
    void withExceptionsDisabledByDefaultAPredictedFailureIsNotReported() {
        h.failurePredicted.set(true);
        assertGood(h.run(TUR));
        assertGood(h.run(TUR));
    }

    @Test
    void testBitWithMrie4TurnsTheNextSuccessfulReadIntoRecoveredErrorKeepingItsData() {
        selectIe(0x04, 4);
        ScsiResult r = h.run(rw10(0x28, 0, 0, 1));
        assertSense(r, SenseReason.FAILURE_PREDICTION_TEST_RECOVERED);
        assertEquals(Harness.BS, r.dataInLength());
        assertGood(h.run(rw10(0x28, 0, 0, 1)));
    }

    @Test
    void predictedFailureWithMrie2BecomesAUnitAttentionOnce() {
        selectIe(0, 2);
        h.failurePredicted.set(true);
        assertGood(h.run(TUR));
        assertSense(h.run(TUR), SenseReason.FAILURE_PREDICTION_UNIT_ATTENTION);
        assertGood(h.run(TUR));
        assertGood(h.run(TUR));
    }

    @Test
    void mrie6ReportsOnlyThroughRequestSense() {
        selectIe(0, 6);
        h.failurePredicted.set(true);
        assertGood(h.run(TUR));
        byte[] s = data(h.run(cdb(0x03, 0, 0, 0, 252, 0)));
        assertEquals(0, s[2] & 0x0f);
        assertEquals(0x5D, s[12]);
        assertEquals(0x00, s[13]);
    }

    @Test
    void mrie5ReportsNoSenseOnTheNextSuccessfulCommand() {
        selectIe(0, 5);
        h.failurePredicted.set(true);
        assertSense(h.run(rw10(0x28, 0, 0, 1)), SenseReason.FAILURE_PREDICTION_NO_SENSE);
        assertGood(h.run(rw10(0x28, 0, 0, 1)));
    }

    @Test
    void testUnitReadyNeverCarriesTheReportAsSenseSoInitiatorsCanConnectAndTheNextCommandGetsIt() {
        selectIe(0, 4);
        h.failurePredicted.set(true);
        assertGood(h.run(TUR));
        assertGood(h.run(TUR));
        ScsiResult r = h.run(rw10(0x28, 0, 0, 1));
        assertSense(r, SenseReason.FAILURE_PREDICTION_RECOVERED);
        assertEquals(Harness.BS, r.dataInLength());
    }
}
