package org.remaptarget.target.lun;

import java.util.Arrays;

/**
 * One SANITIZE operation as its CDB and parameter list asked for it (SBC-3 §5.27): the service action, and for
 * OVERWRITE the initialization pattern repeated to one logical block, the pass count and INVERT. Immutable (the pattern is copied in
 * and out).
 *
 * @param serviceAction {@link #OVERWRITE}, {@link #BLOCK_ERASE} or {@link #CRYPTO_ERASE}
 */
public record SanitizeOperation(int serviceAction, byte[] pattern, int passes, boolean invert) {
    public static final int OVERWRITE = 0x01;
    public static final int BLOCK_ERASE = 0x02;
    public static final int CRYPTO_ERASE = 0x03;

    public SanitizeOperation {
        if (serviceAction != OVERWRITE && serviceAction != BLOCK_ERASE && serviceAction != CRYPTO_ERASE) {
            throw new IllegalArgumentException("unknown sanitize service action " + serviceAction);
        }
        if (serviceAction == OVERWRITE) {
            if (pattern == null || pattern.length == 0 || pattern.length > 65535) {
                throw new IllegalArgumentException("an overwrite needs a pattern of 1..65535 bytes");
            }
            if (passes < 1 || passes > 31) {
                throw new IllegalArgumentException("an overwrite needs 1..31 passes, got " + passes);
            }
            pattern = pattern.clone();
        } else {
            pattern = new byte[0];
            passes = 1;
            invert = false;
        }
    }

    /** A BLOCK ERASE or CRYPTO ERASE. */
    public static SanitizeOperation erase(int serviceAction) {
        return new SanitizeOperation(serviceAction, null, 1, false);
    }

    @Override
    public byte[] pattern() {
        return pattern.clone();
    }

    /** "OVERWRITE, 3 passes, inverted", "BLOCK ERASE", ... for log messages. */
    public String describe() {
        return switch (serviceAction) {
            case OVERWRITE -> "OVERWRITE, " + passes + (passes == 1 ? " pass" : " passes") + (invert ? ", inverted" : "");
            case BLOCK_ERASE -> "BLOCK ERASE";
            default -> "CRYPTO ERASE";
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SanitizeOperation s && s.serviceAction == serviceAction && s.passes == passes
                && s.invert == invert && Arrays.equals(s.pattern, pattern);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(pattern) + serviceAction * 7 + passes * 3 + (invert ? 1 : 0);
    }

    @Override
    public String toString() {
        return "SanitizeOperation[" + describe() + ", pattern " + pattern.length + " bytes]";
    }
}
