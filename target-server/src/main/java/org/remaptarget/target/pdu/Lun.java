package org.remaptarget.target.pdu;

/**
 * SAM-5 8-byte LUN field <-> plain LUN number. Supports peripheral (00b) and flat (01b) addressing of the first
 * level; anything else decodes to a value with the top bit set, which no logical unit has.
 */
public final class Lun {
    private Lun() {
    }

    /** Decodes the 8-byte LUN field into a LUN number (0..16383), or a negative value for unsupported forms. */
    public static long toNumber(long field) {
        int b0 = (int) (field >>> 56) & 0xff;
        int b1 = (int) (field >>> 48) & 0xff;
        int method = b0 >>> 6;
        if (method == 0) {
            return b0 == 0 ? b1 : Long.MIN_VALUE | field >>> 1;
        }
        if (method == 1) {
            return ((long) (b0 & 0x3f) << 8) | b1;
        }
        return Long.MIN_VALUE | field >>> 1;
    }

    /** Encodes a LUN number: peripheral addressing below 256, flat addressing up to 16383. */
    public static long toField(long number) {
        if (number < 0 || number > 0x3fff) {
            throw new IllegalArgumentException("LUN out of range: " + number);
        }
        if (number < 256) {
            return number << 48;
        }
        return ((0x40L | (number >>> 8)) << 56) | ((number & 0xff) << 48);
    }
}
