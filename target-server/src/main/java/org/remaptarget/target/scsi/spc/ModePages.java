package org.remaptarget.target.scsi.spc;

import org.remaptarget.target.lun.ModeValues;
import org.remaptarget.target.scsi.ScsiFailure;

/**
 * Encodes and decodes the mode pages this target implements (SPC-4 §7.5, SBC-3 §6.4): 01h read-write error
 * recovery, 08h caching, 0Ah control, 1Ch informational exceptions control. MODE SELECT validation is generic:
 * every bit outside the changeable mask must equal the current value. Pure functions, no state.
 */
final class ModePages {
    static final int PC_CURRENT = 0;
    static final int PC_CHANGEABLE = 1;
    static final int PC_DEFAULT = 2;
    static final int PC_SAVED = 3;

    /** Supported page codes, ascending (the order of "all pages"). */
    static final int[] CODES = {0x01, 0x08, 0x0A, 0x1C};

    private ModePages() {
    }

    static boolean supported(int code) {
        for (int c : CODES) {
            if (c == code) {
                return true;
            }
        }
        return false;
    }

    /** The page as current values ({@code changeable == false}) or as the changeable-bits mask. */
    static byte[] encode(int code, ModeValues v, boolean changeable) {
        return switch (code) {
            case 0x01 -> errorRecovery(v, changeable);
            case 0x08 -> caching(v, changeable);
            case 0x0A -> control(v, changeable);
            case 0x1C -> informationalExceptions(v, changeable);
            default -> throw new IllegalArgumentException("page " + code);
        };
    }

    private static byte[] errorRecovery(ModeValues v, boolean mask) {
        byte[] p = header(0x01, 12);
        if (mask) {
            p[2] = (byte) 0xC4;
            p[3] = (byte) 0xFF;
            p[8] = (byte) 0xFF;
        } else {
            p[2] = (byte) ((v.awre() ? 0x80 : 0) | (v.arre() ? 0x40 : 0) | (v.per() ? 0x04 : 0));
            p[3] = (byte) v.readRetry();
            p[8] = (byte) v.writeRetry();
        }
        return p;
    }

    private static byte[] caching(ModeValues v, boolean mask) {
        byte[] p = header(0x08, 20);
        if (mask) {
            p[2] = 0x04;
        } else {
            p[2] = (byte) (v.wce() ? 0x04 : 0);
        }
        return p;
    }

    private static byte[] control(ModeValues v, boolean mask) {
        byte[] p = header(0x0A, 12);
        if (mask) {
            p[2] = 0x04;
            p[4] = 0x08;          // SWP
        } else {
            p[2] = (byte) (v.dSense() ? 0x04 : 0);
            p[4] = (byte) (v.swp() ? 0x08 : 0);
            p[3] = 0x10;          // QUEUE ALGORITHM MODIFIER 1: unrestricted reordering of SIMPLE tasks
            p[8] = (byte) 0xFF;   // BUSY TIMEOUT PERIOD: unlimited
            p[9] = (byte) 0xFF;
        }
        return p;
    }

    private static byte[] informationalExceptions(ModeValues v, boolean mask) {
        byte[] p = header(0x1C, 12);
        if (mask) {
            p[2] = (byte) 0x8C;
            p[3] = 0x0F;
            for (int i = 4; i < 12; i++) {
                p[i] = (byte) 0xFF;
            }
        } else {
            p[2] = (byte) ((v.perf() ? 0x80 : 0) | (v.dexcpt() ? 0x08 : 0) | (v.test() ? 0x04 : 0));
            p[3] = (byte) (v.mrie() & 0x0F);
            InquiryHandler.put32(p, 4, v.intervalTimer());
            InquiryHandler.put32(p, 8, v.reportCount());
        }
        return p;
    }

    private static byte[] header(int code, int length) {
        byte[] p = new byte[length];
        p[0] = (byte) code;
        p[1] = (byte) (length - 2);
        return p;
    }

    /**
     * Applies the page at {@code d[off..]} (MODE SELECT parameter data) to {@code cur}. Fails with 26/00 pointing
     * at the first byte (and bit) that differs from the current value outside the changeable mask, or at a value
     * the page does not allow.
     */
    static ModeValues apply(byte[] d, int off, ModeValues cur) throws ScsiFailure {
        int code = d[off] & 0x3F;
        if (!supported(code)) {
            throw ScsiFailure.param(off, 5);
        }
        byte[] now = encode(code, cur, false);
        byte[] mask = encode(code, cur, true);
        if ((d[off + 1] & 0xff) != now.length - 2) {
            throw ScsiFailure.param(off + 1);
        }
        for (int i = 2; i < now.length; i++) {
            int diff = (d[off + i] ^ now[i]) & ~mask[i] & 0xff;
            if (diff != 0) {
                throw ScsiFailure.param(off + i, 31 - Integer.numberOfLeadingZeros(diff));
            }
        }
        int b2 = d[off + 2] & 0xff;
        ModeValues next = switch (code) {
            case 0x01 -> new ModeValues((b2 & 0x80) != 0, (b2 & 0x40) != 0, (b2 & 0x04) != 0, d[off + 3] & 0xff,
                    d[off + 8] & 0xff, cur.wce(), cur.dSense(), cur.perf(), cur.dexcpt(), cur.test(), cur.mrie(),
                    cur.intervalTimer(), cur.reportCount());
            case 0x08 -> new ModeValues(cur.awre(), cur.arre(), cur.per(), cur.readRetry(), cur.writeRetry(),
                    (b2 & 0x04) != 0, cur.dSense(), cur.perf(), cur.dexcpt(), cur.test(), cur.mrie(),
                    cur.intervalTimer(), cur.reportCount());
            case 0x0A -> new ModeValues(cur.awre(), cur.arre(), cur.per(), cur.readRetry(), cur.writeRetry(),
                    cur.wce(), (b2 & 0x04) != 0, cur.perf(), cur.dexcpt(), cur.test(), cur.mrie(),
                    cur.intervalTimer(), cur.reportCount());
            default -> informational(d, off, cur, b2);
        };
        return next.withSwp(code == 0x0A ? (d[off + 4] & 0x08) != 0 : cur.swp());
    }

    private static ModeValues informational(byte[] d, int off, ModeValues cur, int b2) throws ScsiFailure {
        int mrie = d[off + 3] & 0x0F;
        if (mrie > 6) {
            throw ScsiFailure.param(off + 3, 3);
        }
        boolean dexcpt = (b2 & 0x08) != 0;
        boolean test = (b2 & 0x04) != 0;
        if (dexcpt && test) {
            throw ScsiFailure.param(off + 2, 2);
        }
        return new ModeValues(cur.awre(), cur.arre(), cur.per(), cur.readRetry(), cur.writeRetry(), cur.wce(),
                cur.dSense(), (b2 & 0x80) != 0, dexcpt, test, mrie, u32(d, off + 4), u32(d, off + 8));
    }

    private static long u32(byte[] d, int off) {
        return ((d[off] & 0xffL) << 24) | ((d[off + 1] & 0xff) << 16) | ((d[off + 2] & 0xff) << 8)
                | (d[off + 3] & 0xff);
    }
}
