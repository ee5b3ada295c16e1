package org.remaptarget.target.pdu;

import java.nio.ByteBuffer;

/** Text Response (RFC 7143 §11.11). */
public record TextResponsePdu(boolean finalFlag, boolean continueFlag, long lun, int initiatorTaskTag,
                              int targetTransferTag, int statSN, int expCmdSN, int maxCmdSN, byte[] data)
        implements TargetPdu {
    @Override
    public int opcode() {
        return Opcode.TEXT_RESPONSE;
    }

    @Override
    public ByteBuffer dataSegment() {
        return ByteBuffer.wrap(data);
    }

    @Override
    public TargetPdu withNumbers(int statSN, int expCmdSN, int maxCmdSN) {
        return new TextResponsePdu(finalFlag, continueFlag, lun, initiatorTaskTag, targetTransferTag, statSN,
                expCmdSN, maxCmdSN, data);
    }

    @Override
    public boolean advancesStatSN() {
        return true;
    }

    @Override
    public void writeBhs(ByteBuffer b) {
        b.put(0, (byte) Opcode.TEXT_RESPONSE);
        b.put(1, (byte) ((finalFlag ? 0x80 : 0) | (continueFlag ? 0x40 : 0)));
        b.putLong(8, lun);
        b.putInt(16, initiatorTaskTag);
        b.putInt(20, targetTransferTag);
        b.putInt(24, statSN);
        b.putInt(28, expCmdSN);
        b.putInt(32, maxCmdSN);
    }

    static TextResponsePdu decode(ByteBuffer b, byte[] data) {
        int f = Bhs.flags(b);
        return new TextResponsePdu((f & 0x80) != 0, (f & 0x40) != 0, b.getLong(8), b.getInt(16), b.getInt(20),
                b.getInt(24), b.getInt(28), b.getInt(32), data);
    }
}
