package org.remaptarget.target.pdu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.remaptarget.target.testing.Fuzzer;

/**
 * Mutational fuzzing of the PDU decoder (fixed seed, committed corpus in fuzz/pdu) against the invariants of
 * {@link PduStreamCheck}. The coverage-guided counterpart is {@link PduDecoderGuidedFuzzTest}.
 */
class PduDecoderFuzzTest {
    private static final int MAX_SEGMENT = 8192;

    @Test
    void mutatedPdusDecodeToValuesOrFailuresNeverExceptions() {
        Fuzzer f = new Fuzzer(0x5eed_0001L, Fuzzer.corpus("pdu"), 3 * MAX_SEGMENT);
        long[] decoded = new long[2];
        int runs = f.run("pdu", 100_000, 15_000, input -> {
            PduDecoder d = new PduDecoder(MAX_SEGMENT);
            d.setDigests(input.length % 3 == 0, input.length % 5 == 0);
            // two back-to-back copies, fed in random-sized reads, exercise resumption at every state
            byte[] stream = new byte[input.length * 2];
            System.arraycopy(input, 0, stream, 0, input.length);
            System.arraycopy(input, 0, stream, input.length, input.length);
            List<DecodeResult> results = PduStreamCheck.feed(d, stream, read -> 1 + f.random().nextInt(200));
            long ok = PduStreamCheck.decoded(results);
            decoded[0] += ok;
            decoded[1] += results.size() - ok;
        });
        assertTrue(runs >= 1000, "only " + runs + " inputs ran");
        System.out.println("pdu fuzz: " + runs + " inputs, decoded " + decoded[0] + ", failures " + decoded[1]);
        assertTrue(decoded[0] > 0 && decoded[1] > 0, "the corpus reaches both outcomes: " + decoded[0] + "/"
                + decoded[1]);
    }
}
