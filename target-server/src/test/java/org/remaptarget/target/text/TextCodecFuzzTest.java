package org.remaptarget.target.text;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.remaptarget.target.testing.Fuzzer;

/**
 * Mutational fuzzing of the key=value text parser (fixed seed, corpus in fuzz/text) against the invariants of
 * {@link TextCodecCheck}. The coverage-guided counterpart drives whole logins: {@code login.LoginTextGuidedFuzzTest}.
 */
class TextCodecFuzzTest {

    @Test
    void mutatedTextParsesOrIsMalformedAndRoundTrips() {
        Fuzzer f = new Fuzzer(0x5eed_0002L, Fuzzer.corpus("text"), 4096);
        TextCodec codec = new TextCodec(TextCodec.DEFAULT_MAX_VALUE, 2048);
        int[] outcomes = new int[2];
        int runs = f.run("text", 100_000, 10_000, input -> {
            if (TextCodecCheck.parse(codec, input) instanceof TextParseResult.Parsed) {
                outcomes[0]++;
            } else {
                outcomes[1]++;
            }
        });
        assertTrue(runs >= 1000, "only " + runs + " inputs ran");
        assertTrue(outcomes[0] > 0 && outcomes[1] > 0, outcomes[0] + "/" + outcomes[1]);
    }
}
