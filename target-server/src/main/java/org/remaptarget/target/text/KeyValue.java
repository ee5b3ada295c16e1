package org.remaptarget.target.text;

/** One {@code key=value} pair of a text data segment (RFC 7143 §6.1). */
public record KeyValue(String key, String value) {
    public static final String NOT_UNDERSTOOD = "NotUnderstood";
    public static final String IRRELEVANT = "Irrelevant";
    public static final String REJECT = "Reject";
}
