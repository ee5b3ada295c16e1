package org.remaptarget.target.pdu;

import java.nio.ByteBuffer;

/** NOP-Out (RFC 7143 §11.18): a ping (ITT != 0xffffffff) or the answer to a target NOP-In (TTT != 0xffffffff). */
public record NopOutPdu(boolean immediate, long lun, int initiatorTaskTag, int targetTransferTag, int cmdSN,
                        int expStatSN, byte[] data) implements InitiatorPdu {
    @Override
    public int opcode() {
        return Opcode.NOP_OUT;
    }

    @Override
    public ByteBuffer dataSegment() {
        return ByteBuffer.wrap(data);
    }

    @Override
    public void writeBhs(ByteBuffer b) {
        b.put(0, (byte) (Opcode.NOP_OUT | (immediate ? 0x40 : 0)));
        b.put(1, (byte) 0x80);
        b.putLong(8, lun);
        b.putInt(16, initiatorTaskTag);
        b.putInt(20, targetTransferTag);
        b.putInt(24, cmdSN);
        b.putInt(28, expStatSN);
    }

    static NopOutPdu decode(ByteBuffer b, byte[] data) {
        return new NopOutPdu(Bhs.immediate(b), b.getLong(8), b.getInt(16), b.getInt(20), b.getInt(24), b.getInt(28),
                data);
    }
}
