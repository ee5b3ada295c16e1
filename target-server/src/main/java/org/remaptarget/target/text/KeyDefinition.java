package org.remaptarget.target.text;

import java.util.List;

/**
 * The negotiation rules of one key (RFC 7143 §13): when it may appear, what it applies to, how the answer is
 * computed, its range and default.
 *
 * @param name             the key name
 * @param phase            when it may be sent
 * @param scope            session-wide or per connection
 * @param leadingOnly      only on the leading connection's login (LO)
 * @param function         the result function
 * @param min              smallest valid numeric value
 * @param max              largest valid numeric value
 * @param defaultValue     the RFC default (null when none)
 * @param normalOnly       irrelevant in a discovery session
 */
public record KeyDefinition(String name, Phase phase, Scope scope, boolean leadingOnly, ResultFunction function,
                            long min, long max, String defaultValue, boolean normalOnly) {

    /** When a key may be exchanged. */
    public enum Phase { SECURITY, OPERATIONAL, LOGIN_ANY, FULL_FEATURE }

    public enum Scope { SESSION, CONNECTION }

    /** How the responder computes its answer. */
    public enum ResultFunction { AND, OR, MIN, MAX, LIST, DECLARATIVE, NUMERIC_DECLARATIVE }

    public boolean numeric() {
        return function == ResultFunction.MIN || function == ResultFunction.MAX
                || function == ResultFunction.NUMERIC_DECLARATIVE;
    }

    public boolean bool() {
        return function == ResultFunction.AND || function == ResultFunction.OR;
    }

    /** Parses a numeric value (decimal or 0x hex, RFC 7143 §6.1) or returns -1 when it is invalid or out of range. */
    public long parseNumber(String value) {
        try {
            long v;
            if (value.startsWith("0x") || value.startsWith("0X")) {
                v = Long.parseLong(value.substring(2), 16);
            } else {
                if (value.isEmpty() || value.length() > 18) {
                    return -1;
                }
                v = Long.parseLong(value);
            }
            return v < min || v > max ? -1 : v;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Splits a list value. */
    public static List<String> listValues(String value) {
        return List.of(value.split(",", -1));
    }
}
