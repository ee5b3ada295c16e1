package org.remaptarget.target.pdu;

import java.nio.ByteBuffer;

/**
 * Field accessors for the 48-byte Basic Header Segment (RFC 7143 §11.2.1). Stateless helpers on a buffer whose
 * position 0 is the first BHS byte (absolute indexing; the buffer's position is never moved).
 */
public final class Bhs {
    public static final int LENGTH = 48;
    public static final int RESERVED_TAG = 0xffffffff;

    private Bhs() {
    }

    public static int opcode(ByteBuffer b) {
        return b.get(0) & 0x3f;
    }

    public static boolean immediate(ByteBuffer b) {
        return (b.get(0) & 0x40) != 0;
    }

    public static int flags(ByteBuffer b) {
        return b.get(1) & 0xff;
    }

    public static int totalAhsLength(ByteBuffer b) {
        return (b.get(4) & 0xff) * 4;
    }

    public static int dataSegmentLength(ByteBuffer b) {
        return ((b.get(5) & 0xff) << 16) | ((b.get(6) & 0xff) << 8) | (b.get(7) & 0xff);
    }

    public static int u8(ByteBuffer b, int at) {
        return b.get(at) & 0xff;
    }

    public static int u16(ByteBuffer b, int at) {
        return b.getShort(at) & 0xffff;
    }

    public static int i32(ByteBuffer b, int at) {
        return b.getInt(at);
    }

    public static long i64(ByteBuffer b, int at) {
        return b.getLong(at);
    }

    /** Reads the 48-bit ISID at bytes 8..13. */
    public static long isid(ByteBuffer b) {
        long v = 0;
        for (int i = 8; i < 14; i++) {
            v = (v << 8) | (b.get(i) & 0xff);
        }
        return v;
    }

    public static void putIsid(ByteBuffer b, long isid) {
        for (int i = 13; i >= 8; i--) {
            b.put(i, (byte) isid);
            isid >>>= 8;
        }
    }

    /** Writes opcode (with immediate bit), flags and the AHS / data segment lengths. */
    public static void putCommon(ByteBuffer b, int opcode, boolean immediate, int flags, int ahsLength,
                                 int dataLength) {
        b.put(0, (byte) (opcode | (immediate ? 0x40 : 0)));
        b.put(1, (byte) flags);
        b.put(4, (byte) (ahsLength / 4));
        b.put(5, (byte) (dataLength >>> 16));
        b.put(6, (byte) (dataLength >>> 8));
        b.put(7, (byte) dataLength);
    }

    /** Bytes of padding needed after {@code length} bytes to reach a 4-byte boundary. */
    public static int pad(int length) {
        return (4 - (length & 3)) & 3;
    }
}
