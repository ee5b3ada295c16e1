package org.remaptarget.target.scsi;

/**
 * The one place sense bytes are built (SPC-4 §4.5): fixed format (response code 0x70, 18 bytes) or descriptor
 * format (0x72) with an information descriptor and a sense-key-specific descriptor. Pure functions, no state.
 */
public final class SenseData {
    /** Length of fixed-format sense data this class produces. */
    public static final int FIXED_LENGTH = 18;

    private SenseData() {
    }

    /** Sense bytes for {@code failure} in fixed or descriptor format. */
    public static byte[] build(ScsiFailure failure, boolean descriptor) {
        byte[] s = build(failure.reason(), failure.information(), failure.fieldPointer(), failure.inCdb(),
                failure.bitPointer(), descriptor);
        return failure.commandSpecific() == ScsiFailure.NO_INFORMATION ? s
                : withCommandSpecific(s, failure.commandSpecific(), descriptor);
    }

    /**
     * Adds COMMAND-SPECIFIC INFORMATION: bytes 8..11 of fixed format (all ones when the value needs more than
     * 32 bits), or a command-specific information descriptor (type 01h) appended in descriptor format.
     */
    private static byte[] withCommandSpecific(byte[] s, long value, boolean descriptor) {
        if (!descriptor) {
            long v = value > 0xFFFFFFFFL ? 0xFFFFFFFFL : value;
            s[8] = (byte) (v >>> 24);
            s[9] = (byte) (v >>> 16);
            s[10] = (byte) (v >>> 8);
            s[11] = (byte) v;
            return s;
        }
        byte[] d = java.util.Arrays.copyOf(s, s.length + 12);
        int p = s.length;
        d[p] = 0x01;
        d[p + 1] = 0x0A;
        putLong(d, p + 4, value);
        d[7] = (byte) (d.length - 8);
        return d;
    }

    /** Sense bytes for a bare reason (unit attentions, NO SENSE). */
    public static byte[] build(SenseReason reason, boolean descriptor) {
        return build(reason, ScsiFailure.NO_INFORMATION, -1, false, -1, descriptor);
    }

    /** Sense bytes for {@code reason} with a PROGRESS INDICATION of {@code progress}/65536. */
    public static byte[] withProgress(SenseReason reason, int progress, boolean descriptor) {
        return build(reason, ScsiFailure.NO_INFORMATION, progress & 0xFFFF, false, -1, descriptor);
    }

    static byte[] build(SenseReason reason, long information, int fieldPointer, boolean inCdb, int bit,
                        boolean descriptor) {
        boolean hasInfo = information >= 0;
        boolean hasSks = fieldPointer >= 0;
        int sks0 = 0;
        if (hasSks) {
            sks0 = 0x80 | (inCdb ? 0x40 : 0) | (bit >= 0 ? 0x08 | (bit & 0x07) : 0);
        }
        if (descriptor) {
            int len = 8 + (hasInfo ? 12 : 0) + (hasSks ? 8 : 0);
            byte[] s = new byte[len];
            s[0] = 0x72;
            s[1] = (byte) reason.key();
            s[2] = (byte) reason.asc();
            s[3] = (byte) reason.ascq();
            s[7] = (byte) (len - 8);
            int p = 8;
            if (hasInfo) {
                s[p] = 0x00;          // information descriptor
                s[p + 1] = 0x0A;
                s[p + 2] = (byte) 0x80; // VALID
                putLong(s, p + 4, information);
                p += 12;
            }
            if (hasSks) {
                s[p] = 0x02;          // sense key specific descriptor
                s[p + 1] = 0x06;
                s[p + 4] = (byte) sks0;
                s[p + 5] = (byte) (fieldPointer >>> 8);
                s[p + 6] = (byte) fieldPointer;
            }
            return s;
        }
        byte[] s = new byte[FIXED_LENGTH];
        boolean valid = hasInfo && information <= 0xFFFFFFFFL;
        s[0] = (byte) (0x70 | (valid ? 0x80 : 0));
        s[2] = (byte) reason.key();
        if (valid) {
            s[3] = (byte) (information >>> 24);
            s[4] = (byte) (information >>> 16);
            s[5] = (byte) (information >>> 8);
            s[6] = (byte) information;
        }
        s[7] = (byte) (FIXED_LENGTH - 8);
        s[12] = (byte) reason.asc();
        s[13] = (byte) reason.ascq();
        if (hasSks) {
            s[15] = (byte) sks0;
            s[16] = (byte) (fieldPointer >>> 8);
            s[17] = (byte) fieldPointer;
        }
        return s;
    }

    private static void putLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }
}
