package org.remaptarget.target.text;

import java.util.List;

/** Outcome of {@link TextCodec#parse}: the pairs in order, or the rule the text broke. */
public sealed interface TextParseResult {
    record Parsed(List<KeyValue> pairs) implements TextParseResult {
    }

    record Malformed(String rule) implements TextParseResult {
    }
}
