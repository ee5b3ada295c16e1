package org.remaptarget.target.pdu;

import java.nio.ByteBuffer;

/** SCSI Data-Out (RFC 7143 §11.7). */
public record DataOutPdu(boolean finalFlag, long lun, int initiatorTaskTag, int targetTransferTag, int expStatSN,
                         int dataSN, int bufferOffset, byte[] data) implements InitiatorPdu {
    @Override
    public int opcode() {
        return Opcode.DATA_OUT;
    }

    @Override
    public int cmdSN() {
        return 0;
    }

    @Override
    public boolean immediate() {
        return false;
    }

    @Override
    public ByteBuffer dataSegment() {
        return ByteBuffer.wrap(data);
    }

    @Override
    public void writeBhs(ByteBuffer b) {
        b.put(0, (byte) Opcode.DATA_OUT);
        b.put(1, (byte) (finalFlag ? 0x80 : 0));
        b.putLong(8, lun);
        b.putInt(16, initiatorTaskTag);
        b.putInt(20, targetTransferTag);
        b.putInt(28, expStatSN);
        b.putInt(36, dataSN);
        b.putInt(40, bufferOffset);
    }

    static DataOutPdu decode(ByteBuffer b, byte[] data) {
        return new DataOutPdu((Bhs.flags(b) & 0x80) != 0, b.getLong(8), b.getInt(16), b.getInt(20), b.getInt(28),
                b.getInt(36), b.getInt(40), data);
    }
}
