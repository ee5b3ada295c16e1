package org.remaptarget.target.scsi.pr;

import org.remaptarget.target.scsi.Command;

/**
 * How a command is treated by a persistent reservation held by another I_T nexus (SPC-4 §5.13.1 table "SPC
 * commands that are allowed in the presence of various reservations" and SBC-3 §4.17): always allowed; a read
 * (allowed through the write-exclusive types, conflicts with the exclusive-access types); or a write (conflicts
 * unless the I_T nexus is registered under a registrants-only or all-registrants type). The commands SPC-4 lets the
 * device server choose for (MODE SENSE, READ BUFFER, REPORT SUPPORTED OPERATION CODES, READ DEFECT DATA...) are
 * reads here, which REPORT CAPABILITIES announces as ALLOW COMMANDS 011b. Unlisted opcodes are writes. Stateless.
 */
public enum PrAccess {
    ALLOWED, READ, WRITE;

    private static final PrAccess[] BY_OPCODE = new PrAccess[256];

    static {
        java.util.Arrays.fill(BY_OPCODE, WRITE);
        int[] allowed = {0x00, 0x03, 0x12, 0x16, 0x17, 0x25, 0x4D, 0x56, 0x57, 0x5E, 0x5F, 0xA0, 0xAB};
        int[] reads = {0x08, 0x1A, 0x1C, 0x28, 0x2F, 0x34, 0x37, 0x3C, 0x3E, 0x5A, 0x84, 0x88, 0x8C, 0x8F, 0x90, 0xA2, 0xA8,
            0xAF, 0xB7};
        for (int op : allowed) {
            BY_OPCODE[op] = ALLOWED;
        }
        for (int op : reads) {
            BY_OPCODE[op] = READ;
        }
    }

    /** The class of {@code c}, looking at the CDB fields that change it. */
    public static PrAccess of(Command c) {
        int op = c.opcode();
        switch (op) {
            case 0x1E -> { // PREVENT ALLOW MEDIUM REMOVAL: allowing removal is always allowed
                return (c.u8(4) & 0x03) == 0 ? ALLOWED : WRITE;
            }
            case 0x1B -> { // START STOP UNIT: starting with no power condition is always allowed
                return c.bit(4, 0) && (c.u8(4) >>> 4) == 0 && !c.bit(4, 1) ? ALLOWED : WRITE;
            }
            case 0x9E -> { // SERVICE ACTION IN(16): READ CAPACITY(16) allowed, GET LBA STATUS a read
                int sa = c.u8(1) & 0x1f;
                return sa == 0x10 ? ALLOWED : sa == 0x12 ? READ : WRITE;
            }
            case 0xA3 -> { // MAINTENANCE IN
                int sa = c.u8(1) & 0x1f;
                return sa == 0x05 || sa == 0x0A ? ALLOWED : sa == 0x0C || sa == 0x0D ? READ : WRITE;
            }
            case 0x7F -> { // variable length: READ(32) and VERIFY(32) are reads
                int sa = c.u16(8);
                return sa == 0x0009 || sa == 0x000A ? READ : WRITE;
            }
            default -> {
                return BY_OPCODE[op];
            }
        }
    }

    /** True for RESERVE(6)/(10) and RELEASE(6)/(10), which SPC-4 §5.13.3 treats specially. */
    public static boolean isSpc2Reservation(int opcode) {
        return opcode == 0x16 || opcode == 0x17 || opcode == 0x56 || opcode == 0x57;
    }
}
