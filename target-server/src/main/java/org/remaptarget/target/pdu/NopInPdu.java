package org.remaptarget.target.pdu;

import java.nio.ByteBuffer;

/**
 * NOP-In (RFC 7143 §11.19): the answer to a ping (ITT set, consumes a StatSN) or a target keep-alive
 * (ITT 0xffffffff, TTT set, StatSN not advanced).
 */
public record NopInPdu(long lun, int initiatorTaskTag, int targetTransferTag, int statSN, int expCmdSN,
                       int maxCmdSN, byte[] data) implements TargetPdu {
    @Override
    public int opcode() {
        return Opcode.NOP_IN;
    }

    @Override
    public ByteBuffer dataSegment() {
        return ByteBuffer.wrap(data);
    }

    @Override
    public TargetPdu withNumbers(int statSN, int expCmdSN, int maxCmdSN) {
        return new NopInPdu(lun, initiatorTaskTag, targetTransferTag, statSN, expCmdSN, maxCmdSN, data);
    }

    @Override
    public boolean advancesStatSN() {
        return initiatorTaskTag != Bhs.RESERVED_TAG;
    }

    @Override
    public void writeBhs(ByteBuffer b) {
        b.put(0, (byte) Opcode.NOP_IN);
        b.put(1, (byte) 0x80);
        b.putLong(8, lun);
        b.putInt(16, initiatorTaskTag);
        b.putInt(20, targetTransferTag);
        b.putInt(24, statSN);
        b.putInt(28, expCmdSN);
        b.putInt(32, maxCmdSN);
    }

    static NopInPdu decode(ByteBuffer b, byte[] data) {
        return new NopInPdu(b.getLong(8), b.getInt(16), b.getInt(20), b.getInt(24), b.getInt(28), b.getInt(32),
                data);
    }
}
