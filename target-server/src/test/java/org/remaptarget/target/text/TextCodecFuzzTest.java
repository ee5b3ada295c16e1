package org.remaptarget.target.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.remaptarget.target.testing.Fuzzer;

/**
 * Mutational fuzzing of the key=value text parser (fixed seed, corpus in fuzz/text): it answers Parsed or
 * Malformed, never throws, respects its limits, and what it parses re-encodes to text that parses the same.
 */
class TextCodecFuzzTest {

    @Test
    void mutatedTextParsesOrIsMalformedAndRoundTrips() {
        Fuzzer f = new Fuzzer(0x5eed_0002L, Fuzzer.corpus("text"), 4096);
        TextCodec codec = new TextCodec(TextCodec.DEFAULT_MAX_VALUE, 2048);
        int[] outcomes = new int[2];
        int runs = f.run("text", 100_000, 10_000, input -> {
            TextParseResult r = codec.parse(input);
            if (r instanceof TextParseResult.Parsed p) {
                outcomes[0]++;
                for (KeyValue kv : p.pairs()) {
                    assertTrue(kv.key().length() <= TextCodec.MAX_KEY_LENGTH, kv.key());
                    assertTrue(kv.value().length() <= TextCodec.LONG_MAX_VALUE);
                }
                TextParseResult again = codec.parse(TextCodec.encode(p.pairs()));
                assertEquals(p, again, "round trip");
            } else {
                outcomes[1]++;
            }
        });
        assertTrue(runs >= 1000, "only " + runs + " inputs ran");
        assertTrue(outcomes[0] > 0 && outcomes[1] > 0, outcomes[0] + "/" + outcomes[1]);
    }
}
