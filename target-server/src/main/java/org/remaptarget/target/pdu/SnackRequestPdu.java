package org.remaptarget.target.pdu;

import java.nio.ByteBuffer;

/** SNACK Request (RFC 7143 §11.16). Only decoded to be rejected: this target runs ErrorRecoveryLevel 0. */
public record SnackRequestPdu(int type, long lun, int initiatorTaskTag, int targetTransferTag, int expStatSN,
                              int begRun, int runLength) implements InitiatorPdu {
    @Override
    public int opcode() {
        return Opcode.SNACK_REQUEST;
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
    public void writeBhs(ByteBuffer b) {
        b.put(0, (byte) Opcode.SNACK_REQUEST);
        b.put(1, (byte) (0x80 | (type & 0x0f)));
        b.putLong(8, lun);
        b.putInt(16, initiatorTaskTag);
        b.putInt(20, targetTransferTag);
        b.putInt(28, expStatSN);
        b.putInt(40, begRun);
        b.putInt(44, runLength);
    }

    static SnackRequestPdu decode(ByteBuffer b) {
        return new SnackRequestPdu(Bhs.flags(b) & 0x0f, b.getLong(8), b.getInt(16), b.getInt(20), b.getInt(28),
                b.getInt(40), b.getInt(44));
    }
}
