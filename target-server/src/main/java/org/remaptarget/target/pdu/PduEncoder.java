package org.remaptarget.target.pdu;

import java.nio.ByteBuffer;

/**
 * Lays out a PDU for the wire: BHS + AHS (+ header digest), data segment, padding (+ data digest). Stateless; the
 * data segment is referenced, not copied, so a Data-In slice of a large read buffer costs no copy.
 */
public final class PduEncoder {
    private PduEncoder() {
    }

    /** Returns 1 to 3 buffers to write in order (gathering write). */
    public static ByteBuffer[] encode(Pdu pdu, boolean headerDigest, boolean dataDigest) {
        byte[] ahs = pdu.additionalHeaders();
        ByteBuffer data = pdu.dataSegment();
        int dataLength = data.remaining();
        if (dataLength > 0xffffff) {
            throw new IllegalArgumentException("data segment too long: " + dataLength);
        }
        byte[] header = new byte[Bhs.LENGTH + ahs.length + (headerDigest ? 4 : 0)];
        ByteBuffer bhs = ByteBuffer.wrap(header, 0, Bhs.LENGTH).slice();
        pdu.writeBhs(bhs);
        bhs.put(4, (byte) (ahs.length / 4));
        bhs.put(5, (byte) (dataLength >>> 16));
        bhs.put(6, (byte) (dataLength >>> 8));
        bhs.put(7, (byte) dataLength);
        System.arraycopy(ahs, 0, header, Bhs.LENGTH, ahs.length);
        if (headerDigest) {
            Digests.put(header, Bhs.LENGTH + ahs.length, Digests.crc32c(header, 0, Bhs.LENGTH + ahs.length));
        }
        if (dataLength == 0) {
            return new ByteBuffer[] {ByteBuffer.wrap(header)};
        }
        int pad = Bhs.pad(dataLength);
        byte[] tail = new byte[pad + (dataDigest ? 4 : 0)];
        if (dataDigest) {
            Digests.put(tail, pad, Digests.crc32c(data, ByteBuffer.wrap(tail, 0, pad)));
        }
        return tail.length == 0 ? new ByteBuffer[] {ByteBuffer.wrap(header), data}
                : new ByteBuffer[] {ByteBuffer.wrap(header), data, ByteBuffer.wrap(tail)};
    }

    /** The encoded PDU as one array (tests and small PDUs). */
    public static byte[] toBytes(Pdu pdu, boolean headerDigest, boolean dataDigest) {
        ByteBuffer[] parts = encode(pdu, headerDigest, dataDigest);
        int n = 0;
        for (ByteBuffer p : parts) {
            n += p.remaining();
        }
        ByteBuffer out = ByteBuffer.allocate(n);
        for (ByteBuffer p : parts) {
            out.put(p);
        }
        return out.array();
    }
}
