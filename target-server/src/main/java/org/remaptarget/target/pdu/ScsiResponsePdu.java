package org.remaptarget.target.pdu;

import java.nio.ByteBuffer;

/**
 * SCSI Response (RFC 7143 §11.4). {@code data} is the data segment: a 2-byte SenseLength followed by the sense
 * bytes (or empty). Build it with {@link #senseSegment(byte[])}.
 */
public record ScsiResponsePdu(boolean bidiOverflow, boolean bidiUnderflow, boolean overflow, boolean underflow,
                              int response, int status, int initiatorTaskTag, int statSN, int expCmdSN,
                              int maxCmdSN, int expDataSN, int bidiResidualCount, int residualCount, byte[] data)
        implements TargetPdu {

    public static final int COMMAND_COMPLETED = 0x00;
    public static final int TARGET_FAILURE = 0x01;

    /** The data segment carrying {@code sense} (SenseLength + sense), or an empty one for null/empty sense. */
    public static byte[] senseSegment(byte[] sense) {
        if (sense == null || sense.length == 0) {
            return NO_BYTES;
        }
        byte[] seg = new byte[2 + sense.length];
        seg[0] = (byte) (sense.length >>> 8);
        seg[1] = (byte) sense.length;
        System.arraycopy(sense, 0, seg, 2, sense.length);
        return seg;
    }

    @Override
    public int opcode() {
        return Opcode.SCSI_RESPONSE;
    }

    @Override
    public ByteBuffer dataSegment() {
        return ByteBuffer.wrap(data);
    }

    @Override
    public TargetPdu withNumbers(int statSN, int expCmdSN, int maxCmdSN) {
        return new ScsiResponsePdu(bidiOverflow, bidiUnderflow, overflow, underflow, response, status,
                initiatorTaskTag, statSN, expCmdSN, maxCmdSN, expDataSN, bidiResidualCount, residualCount, data);
    }

    @Override
    public boolean advancesStatSN() {
        return true;
    }

    @Override
    public void writeBhs(ByteBuffer b) {
        b.put(0, (byte) Opcode.SCSI_RESPONSE);
        b.put(1, (byte) (0x80 | (bidiOverflow ? 0x10 : 0) | (bidiUnderflow ? 0x08 : 0) | (overflow ? 0x04 : 0)
                | (underflow ? 0x02 : 0)));
        b.put(2, (byte) response);
        b.put(3, (byte) status);
        b.putInt(16, initiatorTaskTag);
        b.putInt(24, statSN);
        b.putInt(28, expCmdSN);
        b.putInt(32, maxCmdSN);
        b.putInt(36, expDataSN);
        b.putInt(40, bidiResidualCount);
        b.putInt(44, residualCount);
    }

    static ScsiResponsePdu decode(ByteBuffer b, byte[] data) {
        int f = Bhs.flags(b);
        return new ScsiResponsePdu((f & 0x10) != 0, (f & 0x08) != 0, (f & 0x04) != 0, (f & 0x02) != 0,
                Bhs.u8(b, 2), Bhs.u8(b, 3), b.getInt(16), b.getInt(24), b.getInt(28), b.getInt(32), b.getInt(36),
                b.getInt(40), b.getInt(44), data);
    }
}
