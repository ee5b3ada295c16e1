package org.remaptarget.target.pdu;

import java.nio.ByteBuffer;

/** Task Management Function Request (RFC 7143 §11.5); {@code function} is the 7-bit function code. */
public record TaskMgmtRequestPdu(boolean immediate, int function, long lun, int initiatorTaskTag,
                                 int referencedTaskTag, int cmdSN, int expStatSN, int refCmdSN, int expDataSN)
        implements InitiatorPdu {
    @Override
    public int opcode() {
        return Opcode.TASK_MGMT_REQUEST;
    }

    @Override
    public void writeBhs(ByteBuffer b) {
        b.put(0, (byte) (Opcode.TASK_MGMT_REQUEST | (immediate ? 0x40 : 0)));
        b.put(1, (byte) (0x80 | (function & 0x7f)));
        b.putLong(8, lun);
        b.putInt(16, initiatorTaskTag);
        b.putInt(20, referencedTaskTag);
        b.putInt(24, cmdSN);
        b.putInt(28, expStatSN);
        b.putInt(32, refCmdSN);
        b.putInt(36, expDataSN);
    }

    static TaskMgmtRequestPdu decode(ByteBuffer b) {
        return new TaskMgmtRequestPdu(Bhs.immediate(b), Bhs.flags(b) & 0x7f, b.getLong(8), b.getInt(16),
                b.getInt(20), b.getInt(24), b.getInt(28), b.getInt(32), b.getInt(36));
    }
}
