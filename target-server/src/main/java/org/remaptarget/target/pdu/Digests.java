package org.remaptarget.target.pdu;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * CRC32C header and data digests (RFC 7143 §13.1, Appendix B.4). The 32-bit digest travels least significant byte
 * first, as every mainstream initiator writes it.
 */
public final class Digests {
    private Digests() {
    }

    /** CRC32C over the remaining bytes of each buffer, in order (positions are not moved). */
    public static int crc32c(ByteBuffer... parts) {
        CRC32C crc = new CRC32C();
        for (ByteBuffer p : parts) {
            crc.update(p.duplicate());
        }
        return (int) crc.getValue();
    }

    public static int crc32c(byte[] b, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(b, off, len);
        return (int) crc.getValue();
    }

    /** Writes a digest in wire order (little endian) at {@code at}. */
    public static void put(byte[] dst, int at, int digest) {
        dst[at] = (byte) digest;
        dst[at + 1] = (byte) (digest >>> 8);
        dst[at + 2] = (byte) (digest >>> 16);
        dst[at + 3] = (byte) (digest >>> 24);
    }

    /** Reads a digest in wire order (little endian) at {@code at}. */
    public static int get(byte[] src, int at) {
        return (src[at] & 0xff) | (src[at + 1] & 0xff) << 8 | (src[at + 2] & 0xff) << 16 | (src[at + 3] & 0xff) << 24;
    }
}
