package org.remaptarget.target.pdu;

import java.nio.ByteBuffer;

/** Login Request (RFC 7143 §11.12). Stages: 0 security, 1 operational, 3 full feature. */
public record LoginRequestPdu(boolean transit, boolean continueFlag, int currentStage, int nextStage,
                              int versionMax, int versionMin, long isid, int tsih, int initiatorTaskTag, int cid,
                              int cmdSN, int expStatSN, byte[] data) implements InitiatorPdu {
    @Override
    public int opcode() {
        return Opcode.LOGIN_REQUEST;
    }

    @Override
    public boolean immediate() {
        return true;
    }

    @Override
    public ByteBuffer dataSegment() {
        return ByteBuffer.wrap(data);
    }

    @Override
    public void writeBhs(ByteBuffer b) {
        b.put(0, (byte) (Opcode.LOGIN_REQUEST | 0x40));
        b.put(1, (byte) ((transit ? 0x80 : 0) | (continueFlag ? 0x40 : 0) | ((currentStage & 3) << 2)
                | (nextStage & 3)));
        b.put(2, (byte) versionMax);
        b.put(3, (byte) versionMin);
        Bhs.putIsid(b, isid);
        b.putShort(14, (short) tsih);
        b.putInt(16, initiatorTaskTag);
        b.putShort(20, (short) cid);
        b.putInt(24, cmdSN);
        b.putInt(28, expStatSN);
    }

    static LoginRequestPdu decode(ByteBuffer b, byte[] data) {
        int f = Bhs.flags(b);
        return new LoginRequestPdu((f & 0x80) != 0, (f & 0x40) != 0, (f >>> 2) & 3, f & 3, Bhs.u8(b, 2),
                Bhs.u8(b, 3), Bhs.isid(b), Bhs.u16(b, 14), b.getInt(16), Bhs.u16(b, 20), b.getInt(24),
                b.getInt(28), data);
    }
}
