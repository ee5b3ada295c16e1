package org.remaptarget.target.scsi;

/**
 * A command ended in CHECK CONDITION: the reason plus the optional INFORMATION field and sense-key-specific field
 * pointer. Thrown by handlers and backends, caught by the dispatcher, which turns it into sense bytes through
 * {@link SenseData}. Carries no stack trace (it is an outcome, not a bug), so it is cheap on the I/O path.
 */
public final class ScsiFailure extends Exception {
    private static final long serialVersionUID = 1L;

    /** No INFORMATION field. */
    public static final long NO_INFORMATION = -1;

    private final SenseReason reason;
    private final long information;
    private final int fieldPointer;
    private final boolean inCdb;
    private final int bitPointer;
    private final long commandSpecific;

    private ScsiFailure(SenseReason reason, long information, int fieldPointer, boolean inCdb, int bitPointer) {
        this(reason, information, fieldPointer, inCdb, bitPointer, NO_INFORMATION);
    }

    private ScsiFailure(SenseReason reason, long information, int fieldPointer, boolean inCdb, int bitPointer,
                        long commandSpecific) {
        super(reason.toString(), null, false, false);
        this.reason = reason;
        this.information = information;
        this.fieldPointer = fieldPointer;
        this.inCdb = inCdb;
        this.bitPointer = bitPointer;
        this.commandSpecific = commandSpecific;
    }

    /**
     * This failure with the COMMAND-SPECIFIC INFORMATION field set (REASSIGN BLOCKS: the first LBA not
     * reassigned); a value that does not fit the sense format is reported as all ones ("not available").
     */
    public ScsiFailure withCommandSpecific(long value) {
        return new ScsiFailure(reason, information, fieldPointer, inCdb, bitPointer, value);
    }

    /** The COMMAND-SPECIFIC INFORMATION field value, or {@link #NO_INFORMATION}. */
    public long commandSpecific() {
        return commandSpecific;
    }

    public static ScsiFailure of(SenseReason reason) {
        return new ScsiFailure(reason, NO_INFORMATION, -1, false, -1);
    }

    /** A failure located at a logical block (medium errors, miscompare offsets). */
    public static ScsiFailure at(SenseReason reason, long information) {
        return new ScsiFailure(reason, information, -1, false, -1);
    }

    /** INVALID FIELD IN CDB pointing at byte {@code index}. */
    public static ScsiFailure cdb(int index) {
        return new ScsiFailure(SenseReason.INVALID_FIELD_IN_CDB, NO_INFORMATION, index, true, -1);
    }

    /** INVALID FIELD IN CDB pointing at bit {@code bit} of byte {@code index}. */
    public static ScsiFailure cdb(int index, int bit) {
        return new ScsiFailure(SenseReason.INVALID_FIELD_IN_CDB, NO_INFORMATION, index, true, bit);
    }

    /** INVALID FIELD IN PARAMETER LIST pointing at byte {@code index} of the parameter data. */
    public static ScsiFailure param(int index) {
        return new ScsiFailure(SenseReason.INVALID_FIELD_IN_PARAMETER_LIST, NO_INFORMATION, index, false, -1);
    }

    /** INVALID FIELD IN PARAMETER LIST pointing at a bit of the parameter data. */
    public static ScsiFailure param(int index, int bit) {
        return new ScsiFailure(SenseReason.INVALID_FIELD_IN_PARAMETER_LIST, NO_INFORMATION, index, false, bit);
    }

    /**
     * A failure whose sense-key specific field is a PROGRESS INDICATION (SPC-4 §4.5.2.4.4: SKSV set, the 16-bit
     * fraction of 65536 done), as NOT READY reports for a long operation such as SANITIZE.
     */
    public static ScsiFailure progress(SenseReason reason, int progress) {
        return new ScsiFailure(reason, NO_INFORMATION, progress & 0xFFFF, false, -1);
    }

    public SenseReason reason() {
        return reason;
    }

    /** The INFORMATION field value, or {@link #NO_INFORMATION}. */
    public long information() {
        return information;
    }

    /** Byte offset of the offending field, or -1 when there is no field pointer. */
    public int fieldPointer() {
        return fieldPointer;
    }

    /** True when the field pointer refers to the CDB (C/D bit), false for parameter data. */
    public boolean inCdb() {
        return inCdb;
    }

    /** Bit within the byte (BPV set), or -1. */
    public int bitPointer() {
        return bitPointer;
    }
}
