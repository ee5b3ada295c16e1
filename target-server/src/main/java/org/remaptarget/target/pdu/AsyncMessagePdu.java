package org.remaptarget.target.pdu;

import java.nio.ByteBuffer;

/** Asynchronous Message (RFC 7143 §11.9). Event 1 = target requests logout, 2 = target drops connection. */
public record AsyncMessagePdu(long lun, int statSN, int expCmdSN, int maxCmdSN, int asyncEvent, int asyncVCode,
                              int parameter1, int parameter2, int parameter3, byte[] data) implements TargetPdu {
    public static final int EVENT_SCSI = 0;
    public static final int EVENT_LOGOUT_REQUEST = 1;
    public static final int EVENT_DROP_CONNECTION = 2;
    public static final int EVENT_DROP_ALL_CONNECTIONS = 3;

    @Override
    public int opcode() {
        return Opcode.ASYNC_MESSAGE;
    }

    @Override
    public int initiatorTaskTag() {
        return Bhs.RESERVED_TAG;
    }

    @Override
    public ByteBuffer dataSegment() {
        return ByteBuffer.wrap(data);
    }

    @Override
    public TargetPdu withNumbers(int statSN, int expCmdSN, int maxCmdSN) {
        return new AsyncMessagePdu(lun, statSN, expCmdSN, maxCmdSN, asyncEvent, asyncVCode, parameter1, parameter2,
                parameter3, data);
    }

    @Override
    public boolean advancesStatSN() {
        return true;
    }

    @Override
    public void writeBhs(ByteBuffer b) {
        b.put(0, (byte) Opcode.ASYNC_MESSAGE);
        b.put(1, (byte) 0x80);
        b.putLong(8, lun);
        b.putInt(16, Bhs.RESERVED_TAG);
        b.putInt(24, statSN);
        b.putInt(28, expCmdSN);
        b.putInt(32, maxCmdSN);
        b.put(36, (byte) asyncEvent);
        b.put(37, (byte) asyncVCode);
        b.putShort(38, (short) parameter1);
        b.putShort(40, (short) parameter2);
        b.putShort(42, (short) parameter3);
    }

    static AsyncMessagePdu decode(ByteBuffer b, byte[] data) {
        return new AsyncMessagePdu(b.getLong(8), b.getInt(24), b.getInt(28), b.getInt(32), Bhs.u8(b, 36),
                Bhs.u8(b, 37), Bhs.u16(b, 38), Bhs.u16(b, 40), Bhs.u16(b, 42), data);
    }
}
