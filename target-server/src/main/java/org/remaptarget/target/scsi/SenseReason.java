package org.remaptarget.target.scsi;

/**
 * Every reason this target reports CHECK CONDITION for: sense key, additional sense code and qualifier (SPC-4
 * §4.5.6 and Annex D). Handlers name a constant; {@link SenseData} turns it into bytes. No call site writes sense
 * bytes itself.
 */
public enum SenseReason {
    NO_SENSE(0x0, 0x00, 0x00),
    /** Informational exception reported with NO SENSE (MRIE 5 and 6). */
    FAILURE_PREDICTION_NO_SENSE(0x0, 0x5D, 0x00),
    FAILURE_PREDICTION_TEST_NO_SENSE(0x0, 0x5D, 0xFF),
    /** Informational exception reported as RECOVERED ERROR (MRIE 3 and 4): the command itself succeeded. */
    FAILURE_PREDICTION_RECOVERED(0x1, 0x5D, 0x00),
    FAILURE_PREDICTION_TEST_RECOVERED(0x1, 0x5D, 0xFF),
    /** A write error recovered by moving the block to a spare; reported only when PER is set (SBC-3 §6.4.7). */
    WRITE_ERROR_RECOVERED_WITH_AUTO_REALLOCATION(0x1, 0x0C, 0x01),
    /** A read that succeeded only on a retry; reported only when PER is set. */
    RECOVERED_DATA_WITH_RETRIES(0x1, 0x17, 0x01),
    /** A read that succeeded only on a retry, after which ARRE moved the block to a spare (PER only). */
    RECOVERED_DATA_AUTO_REALLOCATED(0x1, 0x17, 0x06),
    /** READ DEFECT DATA returned its list in another format than the one requested (SBC-3 §5.12). */
    DEFECT_LIST_NOT_FOUND_RECOVERED(0x1, 0x1C, 0x00),
    NOT_READY_INITIALIZING_COMMAND_REQUIRED(0x2, 0x04, 0x02),
    NOT_READY_MEDIUM_NOT_PRESENT(0x2, 0x3A, 0x00),
    /** A SANITIZE operation is running (SBC-3 §4.11). */
    NOT_READY_SANITIZE_IN_PROGRESS(0x2, 0x04, 0x1B),
    /** The last SANITIZE failed; medium access fails until a SANITIZE succeeds or EXIT FAILURE MODE. */
    SANITIZE_COMMAND_FAILED(0x3, 0x31, 0x03),
    UNRECOVERED_READ_ERROR(0x3, 0x11, 0x00),
    WRITE_ERROR(0x3, 0x0C, 0x00),
    WRITE_ERROR_AUTO_REALLOCATION_FAILED(0x3, 0x0C, 0x02),
    /** REASSIGN BLOCKS with no spare left: HARDWARE ERROR per SBC-3 §5.20. */
    NO_DEFECT_SPARE_LOCATION_AVAILABLE(0x4, 0x32, 0x00),
    INTERNAL_TARGET_FAILURE(0x4, 0x44, 0x00),
    INVALID_FIELD_IN_INFORMATION_UNIT(0x5, 0x0E, 0x03),
    PARAMETER_LIST_LENGTH_ERROR(0x5, 0x1A, 0x00),
    INVALID_OPERATION_CODE(0x5, 0x20, 0x00),
    LBA_OUT_OF_RANGE(0x5, 0x21, 0x00),
    INVALID_FIELD_IN_CDB(0x5, 0x24, 0x00),
    LOGICAL_UNIT_NOT_SUPPORTED(0x5, 0x25, 0x00),
    INVALID_FIELD_IN_PARAMETER_LIST(0x5, 0x26, 0x00),
    TOO_MANY_TARGET_DESCRIPTORS(0x5, 0x26, 0x06),
    UNSUPPORTED_TARGET_DESCRIPTOR_TYPE_CODE(0x5, 0x26, 0x07),
    TOO_MANY_SEGMENT_DESCRIPTORS(0x5, 0x26, 0x08),
    UNSUPPORTED_SEGMENT_DESCRIPTOR_TYPE_CODE(0x5, 0x26, 0x09),
    SAVING_PARAMETERS_NOT_SUPPORTED(0x5, 0x39, 0x00),
    MEDIUM_REMOVAL_PREVENTED(0x5, 0x53, 0x02),
    INVALID_RELEASE_OF_PERSISTENT_RESERVATION(0x5, 0x26, 0x04),
    INSUFFICIENT_REGISTRATION_RESOURCES(0x5, 0x55, 0x04),
    POWER_ON_RESET_OR_BUS_DEVICE_RESET(0x6, 0x29, 0x00),
    POWER_ON_OCCURRED(0x6, 0x29, 0x01),
    SCSI_BUS_RESET_OCCURRED(0x6, 0x29, 0x02),
    BUS_DEVICE_RESET_FUNCTION_OCCURRED(0x6, 0x29, 0x03),
    I_T_NEXUS_LOSS_OCCURRED(0x6, 0x29, 0x07),
    MODE_PARAMETERS_CHANGED(0x6, 0x2A, 0x01),
    RESERVATIONS_PREEMPTED(0x6, 0x2A, 0x03),
    RESERVATIONS_RELEASED(0x6, 0x2A, 0x04),
    REGISTRATIONS_PREEMPTED(0x6, 0x2A, 0x05),
    CAPACITY_DATA_CHANGED(0x6, 0x2A, 0x09),
    COMMANDS_CLEARED_BY_ANOTHER_INITIATOR(0x6, 0x2F, 0x00),
    REPORTED_LUNS_DATA_CHANGED(0x6, 0x3F, 0x0E),
    /** Informational exception reported as a unit attention (MRIE 2). */
    FAILURE_PREDICTION_UNIT_ATTENTION(0x6, 0x5D, 0x00),
    FAILURE_PREDICTION_TEST_UNIT_ATTENTION(0x6, 0x5D, 0xFF),
    WRITE_PROTECTED(0x7, 0x27, 0x00),
    /** The control mode page's SWP bit is set (SPC-4 §7.5.7). */
    SOFTWARE_WRITE_PROTECTED(0x7, 0x27, 0x02),
    /** EXTENDED COPY could not complete a segment (SPC-4 §6.4.3: COPY ABORTED). */
    COPY_ABORTED(0xA, 0x00, 0x00),
    /** EXTENDED COPY names a copy target that is not a LU of this target. */
    COPY_TARGET_DEVICE_NOT_REACHABLE(0xA, 0x0D, 0x02),
    MISCOMPARE_DURING_VERIFY(0xE, 0x1D, 0x00);

    /** Sense key values used outside this enum. */
    public static final int KEY_UNIT_ATTENTION = 0x6;

    private final int key;
    private final int asc;
    private final int ascq;

    SenseReason(int key, int asc, int ascq) {
        this.key = key;
        this.asc = asc;
        this.ascq = ascq;
    }

    public int key() {
        return key;
    }

    public int asc() {
        return asc;
    }

    public int ascq() {
        return ascq;
    }

    public boolean isUnitAttention() {
        return key == KEY_UNIT_ATTENTION;
    }

    /** Resets (29/xx) supersede every other pending unit attention (SAM-5 §5.14). */
    public boolean isReset() {
        return key == KEY_UNIT_ATTENTION && asc == 0x29;
    }

    @Override
    public String toString() {
        return name() + String.format("(%X/%02X/%02X)", key, asc, ascq);
    }
}
