package org.remaptarget.target.pdu;

import java.nio.ByteBuffer;

/** Ready To Transfer (RFC 7143 §11.8). Carries, but does not consume, a StatSN. */
public record R2tPdu(long lun, int initiatorTaskTag, int targetTransferTag, int statSN, int expCmdSN, int maxCmdSN,
                     int r2tSN, int bufferOffset, int desiredDataTransferLength) implements TargetPdu {
    @Override
    public int opcode() {
        return Opcode.R2T;
    }

    @Override
    public TargetPdu withNumbers(int statSN, int expCmdSN, int maxCmdSN) {
        return new R2tPdu(lun, initiatorTaskTag, targetTransferTag, statSN, expCmdSN, maxCmdSN, r2tSN, bufferOffset,
                desiredDataTransferLength);
    }

    @Override
    public boolean advancesStatSN() {
        return false;
    }

    @Override
    public void writeBhs(ByteBuffer b) {
        b.put(0, (byte) Opcode.R2T);
        b.put(1, (byte) 0x80);
        b.putLong(8, lun);
        b.putInt(16, initiatorTaskTag);
        b.putInt(20, targetTransferTag);
        b.putInt(24, statSN);
        b.putInt(28, expCmdSN);
        b.putInt(32, maxCmdSN);
        b.putInt(36, r2tSN);
        b.putInt(40, bufferOffset);
        b.putInt(44, desiredDataTransferLength);
    }

    static R2tPdu decode(ByteBuffer b) {
        return new R2tPdu(b.getLong(8), b.getInt(16), b.getInt(20), b.getInt(24), b.getInt(28), b.getInt(32),
                b.getInt(36), b.getInt(40), b.getInt(44));
    }
}
