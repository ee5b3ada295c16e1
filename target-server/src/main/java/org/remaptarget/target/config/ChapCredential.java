package org.remaptarget.target.config;

import java.util.Objects;

/** A CHAP user and secret from the configuration. {@link #toString()} never shows the secret. */
public record ChapCredential(String user, String secret) {
    public ChapCredential {
        Objects.requireNonNull(user);
        Objects.requireNonNull(secret);
    }

    @Override
    public String toString() {
        return "ChapCredential[user=" + user + ", secret=****]";
    }
}
