package org.remaptarget.target.pdu;

import java.nio.ByteBuffer;

/** Reject (RFC 7143 §11.17): {@code data} is the complete header (BHS) of the rejected PDU. */
public record RejectPdu(int reason, int statSN, int expCmdSN, int maxCmdSN, int dataSN, byte[] data)
        implements TargetPdu {

    /** A Reject for {@code rejectedHeader} (the 48-byte BHS of the offending PDU). */
    public static RejectPdu of(int reason, byte[] rejectedHeader) {
        return new RejectPdu(reason, 0, 0, 0, 0, rejectedHeader == null ? NO_BYTES : rejectedHeader);
    }

    @Override
    public int opcode() {
        return Opcode.REJECT;
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
        return new RejectPdu(reason, statSN, expCmdSN, maxCmdSN, dataSN, data);
    }

    @Override
    public boolean advancesStatSN() {
        return true;
    }

    @Override
    public void writeBhs(ByteBuffer b) {
        b.put(0, (byte) Opcode.REJECT);
        b.put(1, (byte) 0x80);
        b.put(2, (byte) reason);
        b.putInt(16, Bhs.RESERVED_TAG);
        b.putInt(24, statSN);
        b.putInt(28, expCmdSN);
        b.putInt(32, maxCmdSN);
        b.putInt(36, dataSN);
    }

    static RejectPdu decode(ByteBuffer b, byte[] data) {
        return new RejectPdu(Bhs.u8(b, 2), b.getInt(24), b.getInt(28), b.getInt(32), b.getInt(36), data);
    }
}
