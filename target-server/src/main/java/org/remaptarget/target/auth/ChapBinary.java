package org.remaptarget.target.auth;

import java.util.Base64;
import java.util.HexFormat;

/** RFC 7143 §6.1 binary-value encoding: "0x" + hex or "0b" + base64. Pure functions. */
final class ChapBinary {
    /** The longest binary value accepted (bytes): far above any digest or sensible challenge. */
    static final int MAX_BYTES = 1024;

    private ChapBinary() {
    }

    /** The decoded bytes, or null when {@code value} is not a well-formed binary value of 1..MAX_BYTES bytes. */
    static byte[] decode(String value) {
        if (value == null || value.length() < 3 || value.length() > 2 * MAX_BYTES + 2 || value.charAt(0) != '0') {
            return null;
        }
        char kind = Character.toLowerCase(value.charAt(1));
        String body = value.substring(2);
        try {
            byte[] out;
            if (kind == 'x') {
                out = HexFormat.of().parseHex(body.length() % 2 == 1 ? "0" + body : body);
            } else if (kind == 'b') {
                out = Base64.getDecoder().decode(body);
            } else {
                return null;
            }
            return out.length == 0 || out.length > MAX_BYTES ? null : out;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static String hex(byte[] bytes) {
        return "0x" + HexFormat.of().formatHex(bytes);
    }
}
