package org.remaptarget.target.session;

/** RFC 1982 serial number arithmetic on 32-bit sequence numbers (CmdSN, StatSN, DataSN). */
public final class SerialNumber {
    private SerialNumber() {
    }

    /** a < b in serial arithmetic. */
    public static boolean lessThan(int a, int b) {
        return a - b < 0;
    }

    /** a <= b in serial arithmetic. */
    public static boolean atMost(int a, int b) {
        return a == b || a - b < 0;
    }
}
