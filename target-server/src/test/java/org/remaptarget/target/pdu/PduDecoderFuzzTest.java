package org.remaptarget.target.pdu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;
import org.remaptarget.target.testing.Fuzzer;

/**
 * Mutational fuzzing of the PDU decoder (fixed seed, committed corpus in fuzz/pdu): whatever the bytes and however
 * they are split across reads, the decoder returns values (never throws), never hands out a data segment above
 * its limit, and keeps making progress.
 */
class PduDecoderFuzzTest {
    private static final int MAX_SEGMENT = 8192;

    @Test
    void mutatedPdusDecodeToValuesOrFailuresNeverExceptions() {
        Fuzzer f = new Fuzzer(0x5eed_0001L, Fuzzer.corpus("pdu"), 3 * MAX_SEGMENT);
        int[] decoded = new int[2];
        int runs = f.run("pdu", 100_000, 15_000, input -> {
            PduDecoder d = new PduDecoder(MAX_SEGMENT);
            d.setDigests(input.length % 3 == 0, input.length % 5 == 0);
            // several back-to-back copies, fed in random-sized reads, exercise resumption at every state
            byte[] stream = new byte[input.length * 2];
            System.arraycopy(input, 0, stream, 0, input.length);
            System.arraycopy(input, 0, stream, input.length, input.length);
            ByteBuffer in = ByteBuffer.allocate(stream.length);
            int fed = 0;
            int steps = 0;
            outer:
            while (fed < stream.length) {
                int n = Math.min(stream.length - fed, 1 + f.random().nextInt(200));
                in.put(stream, fed, n);
                fed += n;
                in.flip();
                while (true) {
                    assertTrue(++steps < 10_000, "decoder stopped making progress");
                    int before = in.remaining();
                    DecodeResult r = d.decode(in);
                    if (r instanceof DecodeResult.NeedMore) {
                        assertEquals(0, in.remaining(), "NeedMore with unread input");
                        break;
                    }
                    if (r instanceof DecodeResult.Failed fl) {
                        decoded[1]++;
                        assertEquals(48, fl.failure().header().length);
                        if (fl.failure().fatal()) {
                            break outer;
                        }
                    } else {
                        DecodeResult.Decoded ok = (DecodeResult.Decoded) r;
                        decoded[0]++;
                        byte[] h = ok.header();
                        int len = ((h[5] & 0xff) << 16) | ((h[6] & 0xff) << 8) | (h[7] & 0xff);
                        assertTrue(len <= MAX_SEGMENT, "data segment " + len + " above the limit was accepted");
                    }
                    assertTrue(in.remaining() < before || r instanceof DecodeResult.Failed, "no progress");
                }
                in.compact();
            }
        });
        assertTrue(runs >= 1000, "only " + runs + " inputs ran");
        System.out.println("pdu fuzz: " + runs + " inputs, decoded " + decoded[0] + ", failures " + decoded[1]);
        assertTrue(decoded[0] > 0 && decoded[1] > 0, "the corpus reaches both outcomes: " + decoded[0] + "/"
                + decoded[1]);
    }
}
