package org.remaptarget.target.scsi;

/**
 * One supported command: where it sits in the table, how the dispatcher screens it, and what REPORT SUPPORTED
 * OPERATION CODES says about it.
 *
 * @param opcode         operation code
 * @param serviceAction  service action (CDB byte 1 bits 4..0), or -1 when the opcode has none
 * @param name           for logs
 * @param usage          CDB usage data (SPC-4 §6.35.3): byte 0 the opcode, then the bits the device examines;
 *                       its length is the CDB length
 * @param flags          bitwise OR of the constants below
 * @param timeoutSeconds nominal command timeout for the timeouts descriptor
 * @param handler        the code
 */
public record CommandSpec(int opcode, int serviceAction, String name, byte[] usage, int flags, int timeoutSeconds,
                          CommandHandler handler) {
    /** Runs for any LUN, even one that does not exist (INQUIRY, REPORT LUNS, REQUEST SENSE). */
    public static final int ANY_LUN = 1;
    /** Pending unit attentions are not reported (and not cleared) by this command. */
    public static final int SKIP_UA = 1 << 1;
    /** Another nexus's SPC-2 reservation makes this command end in RESERVATION CONFLICT. */
    public static final int CONFLICTS = 1 << 2;
    /** Needs the medium: NOT READY 04/02 while the unit is stopped. */
    public static final int MEDIUM = 1 << 3;
    /** Modifies the medium: its handler calls {@link Command#requireWritable()} (DATA PROTECT 27/00). */
    public static final int WRITES = 1 << 4;
    /** Never carries an informational exception report (identification, sense and mode commands). */
    public static final int NO_IE = 1 << 7;
    /**
     * An unknown service action of this opcode is INVALID FIELD IN CDB pointing at the SERVICE ACTION field
     * (PERSISTENT RESERVE IN/OUT, SPC-4 §6.15/§6.16), not INVALID OPERATION CODE.
     */
    public static final int SA_IS_FIELD = 1 << 8;
    /**
     * Carries an informational exception only as a unit attention (MRIE 2), never as CHECK CONDITION on its own
     * GOOD (MRIE 3, 4, 5): TEST UNIT READY, which libiscsi (hence QEMU) sends while connecting and treats any
     * CHECK CONDITION but UNIT ATTENTION as fatal. The report waits for the next command.
     */
    public static final int IE_AS_UA_ONLY = 1 << 9;

    public int cdbLength() {
        return usage.length;
    }

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    public byte[] usage() {
        return usage.clone();
    }

    /** Builds usage data from ints (each 0..255). */
    public static byte[] usage(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return b;
    }
}
