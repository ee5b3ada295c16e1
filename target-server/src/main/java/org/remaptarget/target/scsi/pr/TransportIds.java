package org.remaptarget.target.scsi.pr;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * iSCSI TransportIDs (SPC-4 §7.6.4.6): format 00b (iSCSI name) and 01b (name + ",i,0x" + ISID), protocol
 * identifier 5. Encoding for READ FULL STATUS, bounded decoding for REGISTER AND MOVE. Pure functions.
 */
public final class TransportIds {
    public static final int PROTOCOL_ISCSI = 0x5;
    private static final String SEPARATOR = ",i,0x";

    private TransportIds() {
    }

    /**
     * A decoded TransportID, or a failure pointing at the offending byte.
     *
     * @param name        the iSCSI name (null on failure)
     * @param isid        the ISID, or {@link Registrant#ANY_ISID} for format 00b
     * @param length      bytes the TransportID occupies
     * @param errorOffset offset (within the decoded array) of the first bad byte, or -1
     */
    public record Parsed(String name, long isid, int length, int errorOffset) {
        static Parsed error(int offset) {
            return new Parsed(null, Registrant.ANY_ISID, 0, offset);
        }
    }

    /** The TransportID naming the initiator port of {@code r}. */
    public static byte[] encode(Registrant r) {
        boolean withIsid = r.isid() != Registrant.ANY_ISID;
        String s = withIsid ? r.initiatorName() + SEPARATOR + String.format("%012x", r.isid()) : r.initiatorName();
        byte[] name = s.getBytes(StandardCharsets.UTF_8);
        int additional = Math.max(20, (name.length + 1 + 3) & ~3);
        byte[] t = new byte[4 + additional];
        t[0] = (byte) ((withIsid ? 0x40 : 0x00) | PROTOCOL_ISCSI);
        t[2] = (byte) (additional >>> 8);
        t[3] = (byte) additional;
        System.arraycopy(name, 0, t, 4, name.length);
        return t;
    }

    /** Decodes the TransportID at {@code b[off..off+max)}. */
    public static Parsed decode(byte[] b, int off, int max) {
        if (max < 4 || off + 4 > b.length) {
            return Parsed.error(off);
        }
        int format = (b[off] >>> 6) & 0x3;
        if ((b[off] & 0x0f) != PROTOCOL_ISCSI || format > 1) {
            return Parsed.error(off);
        }
        int additional = ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
        if (additional < 4 || 4 + additional > max || off + 4 + additional > b.length) {
            return Parsed.error(off + 2);
        }
        int end = off + 4;
        while (end < off + 4 + additional && b[end] != 0) {
            end++;
        }
        if (end == off + 4 + additional || end == off + 4) {
            return Parsed.error(off + 4); // not NUL-terminated, or empty
        }
        String s = new String(b, off + 4, end - off - 4, StandardCharsets.UTF_8);
        if (format == 0) {
            return s.contains(",") ? Parsed.error(off + 4) : new Parsed(s, Registrant.ANY_ISID, 4 + additional, -1);
        }
        int sep = s.toLowerCase(Locale.ROOT).indexOf(SEPARATOR);
        if (sep <= 0) {
            return Parsed.error(off + 4);
        }
        String hex = s.substring(sep + SEPARATOR.length());
        if (hex.isEmpty() || hex.length() > 12) {
            return Parsed.error(off + 4 + sep);
        }
        try {
            long isid = Long.parseLong(hex, 16);
            return new Parsed(s.substring(0, sep), isid, 4 + additional, -1);
        } catch (NumberFormatException e) {
            return Parsed.error(off + 4 + sep);
        }
    }
}
