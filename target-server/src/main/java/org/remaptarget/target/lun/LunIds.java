package org.remaptarget.target.lun;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Stable identifiers derived from a string (normally {@code targetIqn + "/" + lun}), so a LUN keeps its NAA id and
 * serial number across restarts and hosts (multipath and udev rely on them). Pure functions over SHA-256.
 *
 * <p>NAA-6 (IEEE Registered Extended) layout: 4-bit NAA = 6, 24-bit IEEE company id, 100 bits vendor specific.
 * The company id {@link #COMPANY_ID} is a fixed placeholder; a product with its own OUI sets it here.
 */
public final class LunIds {
    /** IEEE company id placed in every NAA-6 designator. */
    public static final int COMPANY_ID = 0x7A5C17;

    private LunIds() {
    }

    /** The seed used for a LUN of a target. */
    public static String seed(String targetName, long lun) {
        return targetName + "/lun/" + lun;
    }

    /** A 16-byte NAA-6 designator derived from {@code seed}. */
    public static byte[] naa6(String seed) {
        byte[] h = sha256(seed);
        byte[] id = new byte[16];
        id[0] = (byte) (0x60 | ((COMPANY_ID >>> 20) & 0x0F));
        id[1] = (byte) (COMPANY_ID >>> 12);
        id[2] = (byte) (COMPANY_ID >>> 4);
        id[3] = (byte) (((COMPANY_ID & 0x0F) << 4) | (h[0] & 0x0F));
        System.arraycopy(h, 1, id, 4, 12);
        return id;
    }

    /** A 16-character upper-case hex serial number derived from {@code seed} (printable ASCII, VPD page 80h). */
    public static String serial(String seed) {
        byte[] h = sha256("serial:" + seed);
        StringBuilder sb = new StringBuilder(16);
        for (int i = 0; i < 8; i++) {
            sb.append(String.format("%02X", h[i] & 0xff));
        }
        return sb.toString();
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
