package org.remaptarget.target.backend;

/**
 * What the storage under a LUN has counted about its own error recovery and spare use, in block terms, for the
 * error counter log pages (02h, 03h) and the remap log page. A snapshot; every value is cumulative since the
 * storage was opened except the gauges ({@code remapped}, {@code pending}, spares).
 *
 * @param readRetries         extra read attempts
 * @param readsRecovered      block reads that succeeded only on a retry
 * @param readErrors          reads that ended in an unrecovered medium error
 * @param bytesRead           bytes read by initiators
 * @param writeRetries        extra write attempts
 * @param writesReallocated   blocks moved to a spare (write errors corrected by reallocation)
 * @param writeErrors         writes that ended in an error (no spare left, or reallocation off)
 * @param bytesWritten        bytes written by initiators
 * @param remapped            blocks now redirected to spares (the grown defect list)
 * @param pending             unreadable blocks waiting for the write that reallocates them
 * @param sparesUsed          spares holding data
 * @param sparesRetired       spares that failed and are never used again
 * @param sparesTotal         size of the spare area in blocks
 * @param health              0 OK, 1 DEGRADED (spares running low), 2 FAILED (no spare left)
 */
public record StorageCounters(long readRetries, long readsRecovered, long readErrors, long bytesRead,
                              long writeRetries, long writesReallocated, long writeErrors, long bytesWritten,
                              long remapped, long pending, long sparesUsed, long sparesRetired, long sparesTotal,
                              int health) {
    public static final int HEALTH_OK = 0;
    public static final int HEALTH_DEGRADED = 1;
    public static final int HEALTH_FAILED = 2;

    /**
     * These counters as seen from {@code baseline} (an earlier snapshot): the cumulative counters are differences
     * (never negative), the gauges (remapped, pending, spares, health) stay as they are now.
     */
    public StorageCounters since(StorageCounters baseline) {
        if (baseline == null) {
            return this;
        }
        return new StorageCounters(d(readRetries, baseline.readRetries), d(readsRecovered, baseline.readsRecovered),
                d(readErrors, baseline.readErrors), d(bytesRead, baseline.bytesRead),
                d(writeRetries, baseline.writeRetries), d(writesReallocated, baseline.writesReallocated),
                d(writeErrors, baseline.writeErrors), d(bytesWritten, baseline.bytesWritten), remapped, pending,
                sparesUsed, sparesRetired, sparesTotal, health);
    }

    /**
     * A baseline that takes the read counters (when {@code reads}) and the write counters (when {@code writes})
     * from {@code now} and the others from this one (an earlier baseline, all zero when null).
     */
    static StorageCounters rebase(StorageCounters old, StorageCounters now, boolean reads, boolean writes) {
        StorageCounters o = old != null ? old : new StorageCounters(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        StorageCounters r = reads ? now : o;
        StorageCounters w = writes ? now : o;
        return new StorageCounters(r.readRetries, r.readsRecovered, r.readErrors, r.bytesRead, w.writeRetries,
                w.writesReallocated, w.writeErrors, w.bytesWritten, 0, 0, 0, 0, 0, 0);
    }

    private static long d(long now, long then) {
        return Math.max(0, now - then);
    }
}
