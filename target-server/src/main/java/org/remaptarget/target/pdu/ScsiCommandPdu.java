package org.remaptarget.target.pdu;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * SCSI Command (RFC 7143 §11.3). {@code cdb} is the full CDB: the 16 BHS bytes, extended by an Extended CDB AHS
 * when present. {@code bidiReadLength} is -1 without a Bidirectional Read Expected Data Transfer Length AHS.
 */
public record ScsiCommandPdu(boolean immediate, boolean finalFlag, boolean read, boolean write, int attribute,
                             long lun, int initiatorTaskTag, int expectedDataTransferLength, int cmdSN,
                             int expStatSN, byte[] cdb, long bidiReadLength, byte[] data) implements InitiatorPdu {

    public static final int AHS_EXTENDED_CDB = 1;
    public static final int AHS_BIDI_READ_LENGTH = 2;

    @Override
    public int opcode() {
        return Opcode.SCSI_COMMAND;
    }

    @Override
    public ByteBuffer dataSegment() {
        return ByteBuffer.wrap(data);
    }

    @Override
    public byte[] additionalHeaders() {
        int ext = cdb.length > 16 ? cdb.length - 16 : 0;
        int extLen = ext == 0 ? 0 : ((3 + 1 + ext + 3) / 4) * 4;
        int bidiLen = bidiReadLength >= 0 ? 8 : 0;
        if (extLen + bidiLen == 0) {
            return NO_BYTES;
        }
        ByteBuffer b = ByteBuffer.allocate(extLen + bidiLen);
        if (ext > 0) {
            b.putShort((short) (ext + 1)).put((byte) AHS_EXTENDED_CDB).put((byte) 0).put(cdb, 16, ext);
            b.position(extLen);
        }
        if (bidiLen > 0) {
            b.putShort((short) 5).put((byte) AHS_BIDI_READ_LENGTH).put((byte) 0).putInt((int) bidiReadLength);
        }
        return b.array();
    }

    @Override
    public void writeBhs(ByteBuffer b) {
        b.put(0, (byte) (Opcode.SCSI_COMMAND | (immediate ? 0x40 : 0)));
        b.put(1, (byte) ((finalFlag ? 0x80 : 0) | (read ? 0x40 : 0) | (write ? 0x20 : 0) | (attribute & 7)));
        b.putLong(8, lun);
        b.putInt(16, initiatorTaskTag);
        b.putInt(20, expectedDataTransferLength);
        b.putInt(24, cmdSN);
        b.putInt(28, expStatSN);
        b.put(32, Arrays.copyOf(cdb, 16), 0, 16);
    }

    /**
     * Decodes from a BHS and AHS; returns null when an AHS is malformed (the caller rejects the PDU).
     */
    static ScsiCommandPdu decode(ByteBuffer b, byte[] ahs, byte[] data) {
        int flags = Bhs.flags(b);
        byte[] cdb = new byte[16];
        b.get(32, cdb, 0, 16);
        long bidi = -1;
        ByteBuffer a = ByteBuffer.wrap(ahs);
        while (a.remaining() >= 4) {
            int len = a.getShort() & 0xffff;
            int type = a.get() & 0xff;
            int padded = ((len + 3 + 3) / 4) * 4 - 3; // bytes after the type byte, to the 4-byte boundary
            if (len == 0 || padded > a.remaining()) {
                return null;
            }
            int start = a.position();
            if (type == AHS_EXTENDED_CDB) {
                byte[] full = Arrays.copyOf(cdb, 16 + len - 1);
                a.get(start + 1, full, 16, len - 1);
                cdb = full;
            } else if (type == AHS_BIDI_READ_LENGTH) {
                if (len != 5) {
                    return null;
                }
                bidi = a.getInt(start + 1) & 0xffffffffL;
            } else {
                return null;
            }
            a.position(start + padded);
        }
        return new ScsiCommandPdu(Bhs.immediate(b), (flags & 0x80) != 0, (flags & 0x40) != 0,
                (flags & 0x20) != 0, flags & 7, b.getLong(8), b.getInt(16), b.getInt(20), b.getInt(24),
                b.getInt(28), cdb, bidi, data);
    }
}
