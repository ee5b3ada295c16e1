package org.remaptarget.target.pdu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

class DirectDataInEncodingTest {
    private static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + (i >>> 8));
        }
        return b;
    }

    private static DataInPdu pdu(byte[] array, ByteBuffer direct, int off, int len) {
        return new DataInPdu(true, false, false, false, true, 0, 0, 7, Bhs.RESERVED_TAG, 5, 6, 7, 0, off, 0,
                array, off, len, direct);
    }

    @Test
    void aDirectBufferSliceEncodesToTheSameBytesAsTheArrayIncludingPaddingAndDigests() {
        byte[] data = pattern(10_000);
        ByteBuffer direct = ByteBuffer.allocateDirect(data.length);
        direct.put(data).clear();
        for (int[] seg : new int[][] {{0, 8192}, {8192, 1807}, {3, 1}, {4000, 4002}}) {
            byte[] viaArray = PduEncoder.toBytes(pdu(data, null, seg[0], seg[1]), true, true);
            byte[] viaDirect = PduEncoder.toBytes(pdu(null, direct, seg[0], seg[1]), true, true);
            assertArrayEquals(viaArray, viaDirect, "segment " + seg[0] + "+" + seg[1]);
            assertEquals(Bhs.LENGTH + 4 + seg[1] + Bhs.pad(seg[1]) + 4, viaDirect.length);
        }
    }

    @Test
    void theDataDigestOverADirectSliceIsTheCrc32cOfThoseBytesAndThePad() {
        byte[] data = pattern(5000);
        ByteBuffer direct = ByteBuffer.allocateDirect(data.length);
        direct.put(data).clear();
        byte[] wire = PduEncoder.toBytes(pdu(null, direct, 1000, 1001), false, true);
        byte[] padded = new byte[1004];
        System.arraycopy(data, 1000, padded, 0, 1001);
        int crc = Digests.crc32c(padded, 0, padded.length);
        ByteBuffer tail = ByteBuffer.wrap(wire, wire.length - 4, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertEquals(crc, tail.getInt());
    }

    @Test
    void encodingDoesNotMoveTheSharedBuffer() {
        ByteBuffer direct = ByteBuffer.allocateDirect(4096);
        direct.limit(3000);
        DataInPdu p = pdu(null, direct, 512, 1024);
        PduEncoder.encode(p, false, true);
        ByteBuffer seg = p.dataSegment();
        assertEquals(0, direct.position());
        assertEquals(3000, direct.limit());
        assertEquals(1024, seg.remaining());
        assertTrue(seg.isDirect());
        assertEquals(p.dataSegment(), p.withNumbers(1, 2, 3).dataSegment());
    }
}
