package org.remaptarget.target.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every text fuzzer asserts of {@link TextCodec#parse} (the mutational {@link TextCodecFuzzTest} and the
 * coverage-guided {@code login.LoginTextGuidedFuzzTest}): it answers Parsed or Malformed, never throws, respects its
 * key and value limits, and what it parses re-encodes to text that parses the same.
 */
public final class TextCodecCheck {
    private TextCodecCheck() {
    }

    /** Parses {@code text} with {@code codec}, checks the above, and returns the result. */
    public static TextParseResult parse(TextCodec codec, byte[] text) {
        TextParseResult r = codec.parse(text);
        if (r instanceof TextParseResult.Parsed p) {
            for (KeyValue kv : p.pairs()) {
                assertTrue(kv.key().length() <= TextCodec.MAX_KEY_LENGTH, kv.key());
                assertTrue(kv.value().length() <= TextCodec.LONG_MAX_VALUE);
            }
            assertEquals(p, codec.parse(TextCodec.encode(p.pairs())), "round trip");
        }
        return r;
    }
}
