package org.remaptarget.target.pdu;

import java.nio.ByteBuffer;

/** Text Request (RFC 7143 §11.10). */
public record TextRequestPdu(boolean immediate, boolean finalFlag, boolean continueFlag, long lun,
                             int initiatorTaskTag, int targetTransferTag, int cmdSN, int expStatSN, byte[] data)
        implements InitiatorPdu {
    @Override
    public int opcode() {
        return Opcode.TEXT_REQUEST;
    }

    @Override
    public ByteBuffer dataSegment() {
        return ByteBuffer.wrap(data);
    }

    @Override
    public void writeBhs(ByteBuffer b) {
        b.put(0, (byte) (Opcode.TEXT_REQUEST | (immediate ? 0x40 : 0)));
        b.put(1, (byte) ((finalFlag ? 0x80 : 0) | (continueFlag ? 0x40 : 0)));
        b.putLong(8, lun);
        b.putInt(16, initiatorTaskTag);
        b.putInt(20, targetTransferTag);
        b.putInt(24, cmdSN);
        b.putInt(28, expStatSN);
    }

    static TextRequestPdu decode(ByteBuffer b, byte[] data) {
        int f = Bhs.flags(b);
        return new TextRequestPdu(Bhs.immediate(b), (f & 0x80) != 0, (f & 0x40) != 0, b.getLong(8), b.getInt(16),
                b.getInt(20), b.getInt(24), b.getInt(28), data);
    }
}
