package org.remaptarget.target.pdu;

import java.nio.ByteBuffer;

/**
 * SCSI Data-In (RFC 7143 §11.7). The payload is {@code data[dataOffset, dataOffset + dataLength)}, or, when
 * {@code buffer} is not null, {@code buffer[dataOffset, dataOffset + dataLength)} (absolute indexes; a pooled direct
 * buffer, {@code data} then null), so a large read buffer is sent in slices without copying. With {@code statusPresent} the PDU also carries the command's status
 * (phase collapse) and consumes a StatSN.
 */
public record DataInPdu(boolean finalFlag, boolean acknowledge, boolean overflow, boolean underflow,
                        boolean statusPresent, int status, long lun, int initiatorTaskTag, int targetTransferTag,
                        int statSN, int expCmdSN, int maxCmdSN, int dataSN, int bufferOffset, int residualCount,
                        byte[] data, int dataOffset, int dataLength, ByteBuffer buffer) implements TargetPdu {

    /** A Data-In whose payload is in an array. */
    public DataInPdu(boolean finalFlag, boolean acknowledge, boolean overflow, boolean underflow,
                     boolean statusPresent, int status, long lun, int initiatorTaskTag, int targetTransferTag,
                     int statSN, int expCmdSN, int maxCmdSN, int dataSN, int bufferOffset, int residualCount,
                     byte[] data, int dataOffset, int dataLength) {
        this(finalFlag, acknowledge, overflow, underflow, statusPresent, status, lun, initiatorTaskTag,
                targetTransferTag, statSN, expCmdSN, maxCmdSN, dataSN, bufferOffset, residualCount, data, dataOffset,
                dataLength, null);
    }
    @Override
    public int opcode() {
        return Opcode.DATA_IN;
    }

    @Override
    public ByteBuffer dataSegment() {
        return buffer != null ? buffer.slice(dataOffset, dataLength) : ByteBuffer.wrap(data, dataOffset, dataLength);
    }

    @Override
    public TargetPdu withNumbers(int statSN, int expCmdSN, int maxCmdSN) {
        return new DataInPdu(finalFlag, acknowledge, overflow, underflow, statusPresent, status, lun,
                initiatorTaskTag, targetTransferTag, statusPresent ? statSN : 0, expCmdSN, maxCmdSN, dataSN,
                bufferOffset, residualCount, data, dataOffset, dataLength, buffer);
    }

    @Override
    public boolean advancesStatSN() {
        return statusPresent;
    }

    @Override
    public void writeBhs(ByteBuffer b) {
        b.put(0, (byte) Opcode.DATA_IN);
        b.put(1, (byte) ((finalFlag ? 0x80 : 0) | (acknowledge ? 0x40 : 0) | (overflow ? 0x04 : 0)
                | (underflow ? 0x02 : 0) | (statusPresent ? 0x01 : 0)));
        b.put(3, (byte) (statusPresent ? status : 0));
        b.putLong(8, lun);
        b.putInt(16, initiatorTaskTag);
        b.putInt(20, targetTransferTag);
        b.putInt(24, statSN);
        b.putInt(28, expCmdSN);
        b.putInt(32, maxCmdSN);
        b.putInt(36, dataSN);
        b.putInt(40, bufferOffset);
        b.putInt(44, residualCount);
    }

    static DataInPdu decode(ByteBuffer b, byte[] data) {
        int f = Bhs.flags(b);
        return new DataInPdu((f & 0x80) != 0, (f & 0x40) != 0, (f & 0x04) != 0, (f & 0x02) != 0, (f & 0x01) != 0,
                Bhs.u8(b, 3), b.getLong(8), b.getInt(16), b.getInt(20), b.getInt(24), b.getInt(28), b.getInt(32),
                b.getInt(36), b.getInt(40), b.getInt(44), data, 0, data.length);
    }
}
