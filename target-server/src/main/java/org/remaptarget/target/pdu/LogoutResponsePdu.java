package org.remaptarget.target.pdu;

import java.nio.ByteBuffer;

/** Logout Response (RFC 7143 §11.15). Response 0 success, 1 CID not found, 2 recovery not supported, 3 failed. */
public record LogoutResponsePdu(int response, int initiatorTaskTag, int statSN, int expCmdSN, int maxCmdSN,
                                int time2Wait, int time2Retain) implements TargetPdu {
    public static final int SUCCESS = 0;
    public static final int CID_NOT_FOUND = 1;
    public static final int RECOVERY_NOT_SUPPORTED = 2;
    public static final int CLEANUP_FAILED = 3;

    @Override
    public int opcode() {
        return Opcode.LOGOUT_RESPONSE;
    }

    @Override
    public TargetPdu withNumbers(int statSN, int expCmdSN, int maxCmdSN) {
        return new LogoutResponsePdu(response, initiatorTaskTag, statSN, expCmdSN, maxCmdSN, time2Wait, time2Retain);
    }

    @Override
    public boolean advancesStatSN() {
        return true;
    }

    @Override
    public void writeBhs(ByteBuffer b) {
        b.put(0, (byte) Opcode.LOGOUT_RESPONSE);
        b.put(1, (byte) 0x80);
        b.put(2, (byte) response);
        b.putInt(16, initiatorTaskTag);
        b.putInt(24, statSN);
        b.putInt(28, expCmdSN);
        b.putInt(32, maxCmdSN);
        b.putShort(40, (short) time2Wait);
        b.putShort(42, (short) time2Retain);
    }

    static LogoutResponsePdu decode(ByteBuffer b) {
        return new LogoutResponsePdu(Bhs.u8(b, 2), b.getInt(16), b.getInt(24), b.getInt(28), b.getInt(32),
                Bhs.u16(b, 40), Bhs.u16(b, 42));
    }
}
