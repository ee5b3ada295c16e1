package org.remaptarget.target.scsi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.remaptarget.target.scsi.Harness.assertGood;
import static org.remaptarget.target.scsi.Harness.assertSense;
import static org.remaptarget.target.scsi.Harness.cdb;
import static org.remaptarget.target.scsi.Harness.data;

import org.junit.jupiter.api.Test;
import org.remaptarget.target.lun.LunSettings;

/** A removable-medium LU: RMB, eject and load with LOEJ, PREVENT ALLOW MEDIUM REMOVAL, no medium → 3A/00. */
class RemovableMediumTest {
    private final Harness h = new Harness(LunSettings.defaults(Harness.IQN, 0).withRemovable(true));

    private static final byte[] TUR = cdb(0x00, 0, 0, 0, 0, 0);
    private static final byte[] EJECT = cdb(0x1B, 0, 0, 0, 0x02, 0);
    private static final byte[] LOAD = cdb(0x1B, 0, 0, 0, 0x03, 0);

    private static byte[] prevent(int on) {
        return cdb(0x1E, 0, 0, 0, on, 0);
    }

    @Test
    void inquirySetsTheRemovableMediumBit() {
        assertEquals(0x80, data(h.run(cdb(0x12, 0, 0, 0, 96, 0)))[1] & 0x80);
    }

    @Test
    void ejectLeavesNoMediumUntilLoad() {
        assertGood(h.run(EJECT));
        assertSense(h.run(TUR), SenseReason.NOT_READY_MEDIUM_NOT_PRESENT);
        assertGood(h.run(LOAD));
        assertGood(h.run(TUR));
    }

    @Test
    void ejectAndLoadAreRefusedWhilePreventedByAnyNexus() {
        assertGood(h.run(prevent(1)));
        assertSense(h.run(h.b, 0, EJECT, null), SenseReason.MEDIUM_REMOVAL_PREVENTED);
        assertSense(h.run(LOAD), SenseReason.MEDIUM_REMOVAL_PREVENTED);
        assertGood(h.run(prevent(0)));
        assertGood(h.run(EJECT));
    }

    @Test
    void stopWithoutLoejLeavesTheMediumReady() {
        assertGood(h.run(cdb(0x1B, 0, 0, 0, 0x00, 0)));
        assertGood(h.run(TUR));
    }

    @Test
    void logicalUnitResetClearsThePreventState() {
        assertGood(h.run(prevent(1)));
        h.core.taskManagement(h.a, TaskManagementFunction.LOGICAL_UNIT_RESET, 0, 0);
        h.run(TUR); // consumes the reset unit attention
        assertGood(h.run(EJECT));
    }
}
