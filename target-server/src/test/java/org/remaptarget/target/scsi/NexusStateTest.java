package org.remaptarget.target.scsi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.remaptarget.target.scsi.Harness.assertGood;
import static org.remaptarget.target.scsi.Harness.assertSense;
import static org.remaptarget.target.scsi.Harness.cdb;
import static org.remaptarget.target.scsi.Harness.data;
import static org.remaptarget.target.scsi.Harness.pattern;
import static org.remaptarget.target.scsi.Harness.rw10;

import org.junit.jupiter.api.Test;

/** Unit attentions, SPC-2 reservations and the start/stop state, per nexus. */
class NexusStateTest {
    private static final byte[] TUR = cdb(0, 0, 0, 0, 0, 0);
    private static final byte[] INQUIRY = cdb(0x12, 0, 0, 0, 96, 0);
    private static final byte[] RESERVE6 = cdb(0x16, 0, 0, 0, 0, 0);
    private static final byte[] RELEASE6 = cdb(0x17, 0, 0, 0, 0, 0);

    private final Harness h = new Harness();

    @Test
    void aBrandNewNexusSeesNoUnitAttention() {
        assertGood(h.run(h.a, 0, TUR, null));
    }

    @Test
    void logicalUnitResetRaisesBusDeviceResetForEveryKnownNexus() {
        h.run(h.a, 0, TUR, null);
        h.run(h.b, 0, TUR, null);
        assertEquals(TmfResponse.FUNCTION_COMPLETE,
                h.core.taskManagement(h.a, TaskManagementFunction.LOGICAL_UNIT_RESET, 0, 0));
        assertSense(h.run(h.a, 0, TUR, null), SenseReason.BUS_DEVICE_RESET_FUNCTION_OCCURRED);
        assertSense(h.run(h.b, 0, TUR, null), SenseReason.BUS_DEVICE_RESET_FUNCTION_OCCURRED);
        assertGood(h.run(h.a, 0, TUR, null));
    }

    @Test
    void inquiryNeitherReportsNorClearsAUnitAttention() {
        h.run(h.a, 0, TUR, null);
        h.core.taskManagement(h.a, TaskManagementFunction.LOGICAL_UNIT_RESET, 0, 0);
        assertGood(h.run(h.a, 0, INQUIRY, null));
        assertSense(h.run(h.a, 0, TUR, null), SenseReason.BUS_DEVICE_RESET_FUNCTION_OCCURRED);
    }

    @Test
    void requestSenseReturnsAndClearsThePendingUnitAttention() {
        h.run(h.a, 0, TUR, null);
        h.core.taskManagement(h.a, TaskManagementFunction.LOGICAL_UNIT_RESET, 0, 0);
        ScsiResult r = h.run(h.a, 0, cdb(0x03, 0, 0, 0, 252, 0), null);
        assertGood(r);
        byte[] d = data(r);
        assertEquals(0x06, d[2] & 0x0f);
        assertEquals(0x29, d[12]);
        assertEquals(0x03, d[13]);
        assertGood(h.run(h.a, 0, TUR, null));
    }

    @Test
    void targetColdResetRaisesPowerOnOccurred() {
        h.run(h.a, 0, TUR, null);
        h.core.taskManagement(h.a, TaskManagementFunction.TARGET_COLD_RESET, 0, 0);
        assertSense(h.run(h.a, 0, TUR, null), SenseReason.POWER_ON_OCCURRED);
    }

    @Test
    void targetWarmResetRaisesScsiBusResetOccurred() {
        h.run(h.a, 0, TUR, null);
        h.core.taskManagement(h.a, TaskManagementFunction.TARGET_WARM_RESET, 0, 0);
        assertSense(h.run(h.a, 0, TUR, null), SenseReason.SCSI_BUS_RESET_OCCURRED);
    }

    @Test
    void aNexusThatWasLostSeesNexusLossWhenItReturns() {
        h.run(h.a, 0, TUR, null);
        h.core.nexusLost(h.a);
        Nexus again = new Nexus(h.a.initiatorName(), h.a.isid(), h.a.targetName(), h.a.tpgt(), 99);
        assertSense(h.run(again, 0, TUR, null), SenseReason.I_T_NEXUS_LOSS_OCCURRED);
        assertGood(h.run(again, 0, TUR, null));
    }

    @Test
    void tmfToAMissingLunIsLunDoesNotExist() {
        assertEquals(TmfResponse.LUN_DOES_NOT_EXIST,
                h.core.taskManagement(h.a, TaskManagementFunction.LOGICAL_UNIT_RESET, 5, 0));
    }

    @Test
    void reserveBlocksOtherNexusesWithReservationConflict() {
        assertGood(h.run(h.a, 0, RESERVE6, null));
        assertGood(h.run(h.a, 0, RESERVE6, null));
        assertEquals(ScsiResult.RESERVATION_CONFLICT, h.run(h.b, 0, RESERVE6, null).status());
        assertEquals(ScsiResult.RESERVATION_CONFLICT, h.run(h.b, 0, rw10(0x28, 0, 0, 1), null).status());
        assertEquals(ScsiResult.RESERVATION_CONFLICT,
                h.run(h.b, 0, cdb(0x1A, 0, 0x3F, 0, 255, 0), null).status());
        assertGood(h.run(h.a, 0, rw10(0x28, 0, 0, 1), null));
    }

    @Test
    void inquiryAndReportLunsAreAllowedDespiteAnotherNexussReservation() {
        h.run(h.a, 0, RESERVE6, null);
        assertGood(h.run(h.b, 0, INQUIRY, null));
        assertGood(h.run(h.b, 0, cdb(0xA0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0), null));
    }

    @Test
    void releaseByAnotherNexusIsAGoodNoOp() {
        h.run(h.a, 0, RESERVE6, null);
        assertGood(h.run(h.b, 0, RELEASE6, null));
        assertEquals(ScsiResult.RESERVATION_CONFLICT, h.run(h.b, 0, TUR, null).status());
        assertGood(h.run(h.a, 0, RELEASE6, null));
        assertGood(h.run(h.b, 0, RESERVE6, null));
    }

    @Test
    void logicalUnitResetClearsTheReservation() {
        h.run(h.a, 0, RESERVE6, null);
        h.core.taskManagement(h.a, TaskManagementFunction.LOGICAL_UNIT_RESET, 0, 0);
        assertGood(h.run(h.b, 0, RESERVE6, null));
    }

    @Test
    void nexusLossReleasesTheReservationItHeld() {
        h.run(h.a, 0, RESERVE6, null);
        h.core.nexusLost(h.a);
        assertGood(h.run(h.b, 0, cdb(0x56, 0, 0, 0, 0, 0, 0, 0, 0, 0), null));
    }

    @Test
    void thirdPartyReserveIsInvalidFieldInCdb() {
        assertSense(h.run(h.a, 0, cdb(0x16, 0x10, 0, 0, 0, 0), null), SenseReason.INVALID_FIELD_IN_CDB);
    }

    @Test
    void aStoppedUnitIsNotReadyForMediaAccessUntilStarted() {
        assertGood(h.run(cdb(0x1B, 0, 0, 0, 0x00, 0)));
        assertSense(h.run(TUR), SenseReason.NOT_READY_INITIALIZING_COMMAND_REQUIRED);
        assertSense(h.run(rw10(0x28, 0, 0, 1)), SenseReason.NOT_READY_INITIALIZING_COMMAND_REQUIRED);
        assertGood(h.run(INQUIRY));
        assertGood(h.run(cdb(0x1B, 0, 0, 0, 0x01, 0)));
        assertGood(h.run(TUR));
    }

    @Test
    void stoppingFlushesUnlessNoFlushIsSet() {
        h.run(cdb(0x1B, 0, 0, 0, 0x00, 0));
        assertEquals(1, h.device.flushes.get());
        h.run(cdb(0x1B, 0, 0, 0, 0x04, 0));
        assertEquals(1, h.device.flushes.get());
    }

    @Test
    void ejectWhileRemovalIsPreventedIsMediumRemovalPrevented() {
        assertGood(h.run(cdb(0x1E, 0, 0, 0, 1, 0)));
        assertSense(h.run(cdb(0x1B, 0, 0, 0, 0x02, 0)), SenseReason.MEDIUM_REMOVAL_PREVENTED);
        assertGood(h.run(cdb(0x1E, 0, 0, 0, 0, 0)));
        assertGood(h.run(cdb(0x1B, 0, 0, 0, 0x02, 0)));
    }

    @Test
    void writesAreRefusedWhileStoppedAndNothingReachesTheDevice() {
        h.run(cdb(0x1B, 0, 0, 0, 0x00, 0));
        assertSense(h.run(rw10(0x2A, 0, 0, 1), pattern(Harness.BS, 0)),
                SenseReason.NOT_READY_INITIALIZING_COMMAND_REQUIRED);
        assertEquals(0, h.device.plainWrites.get());
    }

    @Test
    void addingALunRaisesReportedLunsDataChangedAndReportLunsListsIt() {
        h.run(h.a, 0, TUR, null);
        h.core.addLogicalUnit(new org.remaptarget.target.lun.LogicalUnit(
                org.remaptarget.target.lun.LunSettings.defaults(Harness.IQN, 5),
                new org.remaptarget.target.backend.DeviceBackend(new RecordingDevice(Harness.BS, 64))));
        assertSense(h.run(h.a, 0, TUR, null), SenseReason.REPORTED_LUNS_DATA_CHANGED);
        byte[] d = data(h.run(h.a, 0, cdb(0xA0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0), null));
        assertEquals(16, d[3]);
        assertEquals(5, d[8 + 8 + 1]);
        assertGood(h.run(h.a, 5, TUR, null));
    }

    @Test
    void aRemovedLunAnswersLogicalUnitNotSupported() {
        assertEquals(h.lu, h.core.removeLogicalUnit(0));
        assertSense(h.run(h.a, 0, TUR, null), SenseReason.LOGICAL_UNIT_NOT_SUPPORTED);
    }
}
