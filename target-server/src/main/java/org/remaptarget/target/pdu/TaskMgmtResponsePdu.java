package org.remaptarget.target.pdu;

import java.nio.ByteBuffer;

/** Task Management Function Response (RFC 7143 §11.6). */
public record TaskMgmtResponsePdu(int response, int initiatorTaskTag, int statSN, int expCmdSN, int maxCmdSN)
        implements TargetPdu {
    @Override
    public int opcode() {
        return Opcode.TASK_MGMT_RESPONSE;
    }

    @Override
    public TargetPdu withNumbers(int statSN, int expCmdSN, int maxCmdSN) {
        return new TaskMgmtResponsePdu(response, initiatorTaskTag, statSN, expCmdSN, maxCmdSN);
    }

    @Override
    public boolean advancesStatSN() {
        return true;
    }

    @Override
    public void writeBhs(ByteBuffer b) {
        b.put(0, (byte) Opcode.TASK_MGMT_RESPONSE);
        b.put(1, (byte) 0x80);
        b.put(2, (byte) response);
        b.putInt(16, initiatorTaskTag);
        b.putInt(24, statSN);
        b.putInt(28, expCmdSN);
        b.putInt(32, maxCmdSN);
    }

    static TaskMgmtResponsePdu decode(ByteBuffer b) {
        return new TaskMgmtResponsePdu(Bhs.u8(b, 2), b.getInt(16), b.getInt(24), b.getInt(28), b.getInt(32));
    }
}
