package org.remaptarget.target.pdu;

import java.nio.ByteBuffer;

/** Logout Request (RFC 7143 §11.14). Reason 0 close session, 1 close connection, 2 remove for recovery. */
public record LogoutRequestPdu(boolean immediate, int reasonCode, int initiatorTaskTag, int cid, int cmdSN,
                               int expStatSN) implements InitiatorPdu {
    public static final int CLOSE_SESSION = 0;
    public static final int CLOSE_CONNECTION = 1;
    public static final int REMOVE_FOR_RECOVERY = 2;

    @Override
    public int opcode() {
        return Opcode.LOGOUT_REQUEST;
    }

    @Override
    public void writeBhs(ByteBuffer b) {
        b.put(0, (byte) (Opcode.LOGOUT_REQUEST | (immediate ? 0x40 : 0)));
        b.put(1, (byte) (0x80 | (reasonCode & 0x7f)));
        b.putInt(16, initiatorTaskTag);
        b.putShort(20, (short) cid);
        b.putInt(24, cmdSN);
        b.putInt(28, expStatSN);
    }

    static LogoutRequestPdu decode(ByteBuffer b) {
        return new LogoutRequestPdu(Bhs.immediate(b), Bhs.flags(b) & 0x7f, b.getInt(16), Bhs.u16(b, 20),
                b.getInt(24), b.getInt(28));
    }
}
