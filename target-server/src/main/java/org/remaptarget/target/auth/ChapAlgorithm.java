package org.remaptarget.target.auth;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * The CHAP digest algorithms (RFC 7143 §12.1.3, RFC 1994, IANA PPP authentication algorithms): the CHAP_A number,
 * the JDK digest name and the challenge length the target sends. The JDK provides all four.
 */
public enum ChapAlgorithm {
    SHA3_256(8, "SHA3-256", 32),
    SHA_256(7, "SHA-256", 32),
    SHA_1(6, "SHA-1", 20),
    MD5(5, "MD5", 16);

    private final int code;
    private final String jdkName;
    private final int challengeLength;

    ChapAlgorithm(int code, String jdkName, int challengeLength) {
        this.code = code;
        this.jdkName = jdkName;
        this.challengeLength = challengeLength;
    }

    /** The CHAP_A value. */
    public int code() {
        return code;
    }

    /** Bytes of challenge the target sends with this algorithm (at least the digest length). */
    public int challengeLength() {
        return challengeLength;
    }

    /** The algorithm numbered {@code code}, if known. */
    public static Optional<ChapAlgorithm> ofCode(int code) {
        for (ChapAlgorithm a : values()) {
            if (a.code == code) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** The CHAP response: H(identifier || secret || challenge) (RFC 1994 §4.1). */
    public byte[] response(int identifier, byte[] secret, byte[] challenge) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance(jdkName);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(jdkName + " missing from the JDK", e);
        }
        md.update((byte) identifier);
        md.update(secret);
        md.update(challenge);
        return md.digest();
    }
}
