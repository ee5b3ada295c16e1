package org.remaptarget.target.backend;

/**
 * What the storage under a LUN knows about its own health, in block terms: the composition root implements it over
 * the remap engine (spare space running low → failure predicted; remapped LBAs → grown defect list). Both methods
 * are called from I/O threads and must be cheap and thread-safe.
 */
public interface BackendHealth {
    /** Storage that reports nothing. */
    BackendHealth NONE = new BackendHealth() {
    };

    /** True when the storage predicts its own failure (SMART-like), reported as informational exception 5D/00. */
    default boolean failurePredicted() {
        return false;
    }

    /**
     * The LBAs of the grown defect list (blocks redirected to spares), ascending, or null when the storage keeps
     * no such list (READ DEFECT DATA then says the grown list is not available).
     */
    default long[] grownDefects() {
        return null;
    }

    /**
     * The storage's error-recovery and spare counters, or null when it keeps none (the log pages then report
     * zeros). Called by LOG SENSE only, never on the I/O path; may cost a few dozen volatile reads.
     */
    default StorageCounters counters() {
        return null;
    }
}
