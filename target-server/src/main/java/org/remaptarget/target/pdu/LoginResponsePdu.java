package org.remaptarget.target.pdu;

import java.nio.ByteBuffer;

/** Login Response (RFC 7143 §11.13). */
public record LoginResponsePdu(boolean transit, boolean continueFlag, int currentStage, int nextStage,
                               int versionMax, int versionActive, long isid, int tsih, int initiatorTaskTag,
                               int statSN, int expCmdSN, int maxCmdSN, int statusClass, int statusDetail,
                               byte[] data) implements TargetPdu {
    @Override
    public int opcode() {
        return Opcode.LOGIN_RESPONSE;
    }

    @Override
    public ByteBuffer dataSegment() {
        return ByteBuffer.wrap(data);
    }

    @Override
    public TargetPdu withNumbers(int statSN, int expCmdSN, int maxCmdSN) {
        return new LoginResponsePdu(transit, continueFlag, currentStage, nextStage, versionMax, versionActive, isid,
                tsih, initiatorTaskTag, statSN, expCmdSN, maxCmdSN, statusClass, statusDetail, data);
    }

    @Override
    public boolean advancesStatSN() {
        return true;
    }

    @Override
    public void writeBhs(ByteBuffer b) {
        b.put(0, (byte) Opcode.LOGIN_RESPONSE);
        b.put(1, (byte) ((transit ? 0x80 : 0) | (continueFlag ? 0x40 : 0) | ((currentStage & 3) << 2)
                | (nextStage & 3)));
        b.put(2, (byte) versionMax);
        b.put(3, (byte) versionActive);
        Bhs.putIsid(b, isid);
        b.putShort(14, (short) tsih);
        b.putInt(16, initiatorTaskTag);
        b.putInt(24, statSN);
        b.putInt(28, expCmdSN);
        b.putInt(32, maxCmdSN);
        b.put(36, (byte) statusClass);
        b.put(37, (byte) statusDetail);
    }

    static LoginResponsePdu decode(ByteBuffer b, byte[] data) {
        int f = Bhs.flags(b);
        return new LoginResponsePdu((f & 0x80) != 0, (f & 0x40) != 0, (f >>> 2) & 3, f & 3, Bhs.u8(b, 2),
                Bhs.u8(b, 3), Bhs.isid(b), Bhs.u16(b, 14), b.getInt(16), b.getInt(24), b.getInt(28), b.getInt(32),
                Bhs.u8(b, 36), Bhs.u8(b, 37), data);
    }
}
