package org.remaptarget.target.pdu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * The decoder invariants every PDU fuzzer checks (the mutational {@link PduDecoderFuzzTest} and the coverage-guided
 * {@link PduDecoderGuidedFuzzTest}): whatever the bytes and however they are split across reads, the decoder
 * returns values (never throws), asks for more only when it consumed everything, never hands out a data segment
 * above its limit, keeps making progress, and a fatal failure ends the stream.
 */
final class PduStreamCheck {
    private PduStreamCheck() {
    }

    /**
     * Feeds {@code stream} to {@code d} in reads of {@code readSize.applyAsInt(n)} bytes (n = 0, 1, ...; at least 1)
     * and returns every result in order, up to and including a fatal failure.
     */
    static List<DecodeResult> feed(PduDecoder d, byte[] stream, IntUnaryOperator readSize) {
        List<DecodeResult> results = new ArrayList<>();
        ByteBuffer in = ByteBuffer.allocate(stream.length);
        int fed = 0;
        int steps = 0;
        for (int read = 0; fed < stream.length; read++) {
            int n = Math.min(stream.length - fed, Math.max(1, readSize.applyAsInt(read)));
            in.put(stream, fed, n);
            fed += n;
            in.flip();
            while (true) {
                assertTrue(++steps < 10_000 + stream.length, "decoder stopped making progress");
                int before = in.remaining();
                DecodeResult r = d.decode(in);
                if (r instanceof DecodeResult.NeedMore) {
                    assertEquals(0, in.remaining(), "NeedMore with unread input");
                    break;
                }
                results.add(r);
                if (r instanceof DecodeResult.Failed fl) {
                    assertEquals(Bhs.LENGTH, fl.failure().header().length);
                    if (fl.failure().fatal()) {
                        return results;
                    }
                } else {
                    byte[] h = ((DecodeResult.Decoded) r).header();
                    int len = ((h[5] & 0xff) << 16) | ((h[6] & 0xff) << 8) | (h[7] & 0xff);
                    assertTrue(len <= d.maxDataSegmentLength(), "data segment " + len
                            + " above the limit was accepted");
                }
                assertTrue(in.remaining() < before || r instanceof DecodeResult.Failed, "no progress");
            }
            in.compact();
        }
        return results;
    }

    /** How many of {@code results} are decoded PDUs. */
    static long decoded(List<DecodeResult> results) {
        return results.stream().filter(r -> r instanceof DecodeResult.Decoded).count();
    }
}
