package org.remaptarget.target.text;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code key=value\0} text format (RFC 7143 §6.1). Limits come from the constructor: key names at most 63
 * characters (§6.1), values at most {@code maxValueLength} except keys named in {@code longValueKeys}, and the whole
 * text at most {@code maxTotalLength} bytes. Stateless once built; thread-safe.
 */
public final class TextCodec {
    public static final int MAX_KEY_LENGTH = 63;
    public static final int DEFAULT_MAX_VALUE = 255;
    public static final int LONG_MAX_VALUE = 8192;

    private final int maxValueLength;
    private final int maxTotalLength;

    public TextCodec(int maxValueLength, int maxTotalLength) {
        this.maxValueLength = maxValueLength;
        this.maxTotalLength = maxTotalLength;
    }

    /** The usual limits: 255-byte values (8192 for CHAP and SendTargets-style keys), 64 KiB of text. */
    public static TextCodec standard() {
        return new TextCodec(DEFAULT_MAX_VALUE, 65536);
    }

    public TextParseResult parse(byte[] text) {
        if (text.length > maxTotalLength) {
            return new TextParseResult.Malformed("text of " + text.length + " bytes exceeds " + maxTotalLength);
        }
        List<KeyValue> pairs = new ArrayList<>();
        int start = 0;
        while (start < text.length) {
            int end = start;
            while (end < text.length && text[end] != 0) {
                end++;
            }
            if (end == start) { // empty string: tolerated padding, as several initiators send it
                start = end + 1;
                continue;
            }
            String item = new String(text, start, end - start, StandardCharsets.UTF_8);
            int eq = item.indexOf('=');
            if (eq <= 0) {
                return new TextParseResult.Malformed("RFC 7143 §6.1: '" + clip(item) + "' is not key=value");
            }
            String key = item.substring(0, eq);
            String value = item.substring(eq + 1);
            if (key.length() > MAX_KEY_LENGTH) {
                return new TextParseResult.Malformed("RFC 7143 §6.1: key longer than 63 characters");
            }
            if (!validKeyName(key)) {
                return new TextParseResult.Malformed("RFC 7143 §6.1: invalid key name '" + clip(key) + "'");
            }
            int limit = longValueKey(key) ? LONG_MAX_VALUE : maxValueLength;
            if (value.length() > limit) {
                return new TextParseResult.Malformed("RFC 7143 §6.1: value of " + key + " longer than " + limit);
            }
            pairs.add(new KeyValue(key, value));
            start = end + 1;
        }
        return new TextParseResult.Parsed(List.copyOf(pairs));
    }

    /** Encodes pairs as {@code key=value\0...}. */
    public static byte[] encode(List<KeyValue> pairs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (KeyValue kv : pairs) {
            byte[] b = (kv.key() + "=" + kv.value()).getBytes(StandardCharsets.UTF_8);
            out.write(b, 0, b.length);
            out.write(0);
        }
        return out.toByteArray();
    }

    private static boolean longValueKey(String key) {
        return key.startsWith("CHAP_") || key.startsWith("X-") || key.startsWith("X#") || key.equals("SendTargets")
                || key.equals("TargetAddress");
    }

    private static boolean validKeyName(String key) {
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
                    || c == '-' || c == '+' || c == '@' || c == '_' || c == '#' || c == ':';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
