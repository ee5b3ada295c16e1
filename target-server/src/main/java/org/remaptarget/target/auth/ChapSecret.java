package org.remaptarget.target.auth;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One CHAP credential: a user name and its secret. {@link #toString()} never shows the secret. The secret must be
 * 12 to 255 bytes (RFC 7143 §12.1.3 recommends at least 96 bits), checked by {@link #validate}.
 */
public final class ChapSecret {
    public static final int MIN_SECRET_BYTES = 12;
    public static final int MAX_SECRET_BYTES = 255;

    private final String user;
    private final byte[] secret;

    public ChapSecret(String user, String secret) {
        this.user = Objects.requireNonNull(user);
        this.secret = Objects.requireNonNull(secret).getBytes(StandardCharsets.UTF_8);
        String problem = validate(user, secret);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** Why this user/secret pair is unusable, or null when it is fine (the message never contains the secret). */
    public static String validate(String user, String secret) {
        if (user == null || user.isEmpty() || user.length() > 255) {
            return "CHAP user must be 1 to 255 characters";
        }
        if (secret == null) {
            return "CHAP secret missing";
        }
        int n = secret.getBytes(StandardCharsets.UTF_8).length;
        if (n < MIN_SECRET_BYTES || n > MAX_SECRET_BYTES) {
            return "CHAP secret must be " + MIN_SECRET_BYTES + " to " + MAX_SECRET_BYTES + " bytes (is " + n + ")";
        }
        return null;
    }

    public String user() {
        return user;
    }

    /** A copy of the secret bytes. */
    byte[] secretBytes() {
        return secret.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChapSecret c && user.equals(c.user) && java.security.MessageDigest.isEqual(secret, c.secret);
    }

    @Override
    public int hashCode() {
        return user.hashCode();
    }

    @Override
    public String toString() {
        return "ChapSecret[user=" + user + ", secret=****]";
    }
}
