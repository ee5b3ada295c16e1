package org.remaptarget.target.lun;

/**
 * The changeable mode parameters of a logical unit, immutable; MODE SELECT swaps in a new instance atomically.
 *
 * @param awre          automatic write reallocation enabled (page 01h)
 * @param arre          automatic read reallocation enabled (page 01h)
 * @param per           post error: report recovered errors (page 01h)
 * @param readRetry     read retry count (page 01h)
 * @param writeRetry    write retry count (page 01h)
 * @param wce           write cache enable (page 08h)
 * @param dSense        descriptor format sense data (page 0Ah)
 * @param perf          informational exceptions: performance (page 1Ch)
 * @param dexcpt        informational exceptions disabled (page 1Ch)
 * @param test          informational exceptions test (page 1Ch)
 * @param mrie          method of reporting informational exceptions 0..6 (page 1Ch)
 * @param intervalTimer interval timer (page 1Ch)
 * @param reportCount   report count (page 1Ch)
 * @param swp           software write protect (page 0Ah): every medium write fails with DATA PROTECT 27/02
 */
public record ModeValues(boolean awre, boolean arre, boolean per, int readRetry, int writeRetry, boolean wce,
                         boolean dSense, boolean perf, boolean dexcpt, boolean test, int mrie, long intervalTimer,
                         long reportCount, boolean swp) {

    /** Values with SWP off. */
    public ModeValues(boolean awre, boolean arre, boolean per, int readRetry, int writeRetry, boolean wce,
                      boolean dSense, boolean perf, boolean dexcpt, boolean test, int mrie, long intervalTimer,
                      long reportCount) {
        this(awre, arre, per, readRetry, writeRetry, wce, dSense, perf, dexcpt, test, mrie, intervalTimer,
                reportCount, false);
    }

    /** The same values with software write protect {@code on}. */
    public ModeValues withSwp(boolean on) {
        return new ModeValues(awre, arre, per, readRetry, writeRetry, wce, dSense, perf, dexcpt, test, mrie,
                intervalTimer, reportCount, on);
    }

    /** The power-on defaults. */
    public static ModeValues defaults(boolean wce) {
        return new ModeValues(true, true, false, 3, 3, wce, false, false, true, false, 0, 0, 0);
    }
}
