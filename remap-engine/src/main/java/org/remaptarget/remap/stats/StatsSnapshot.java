package org.remaptarget.remap.stats;

/**
 * A point-in-time view of a volume's counters and gauges.
 *
 * @param readErrors        reads that ended in a medium error (after retries)
 * @param writeErrors       primary or spare write failures seen (each is retried or remapped)
 * @param retries           extra read and write attempts
 * @param remaps            blocks moved to a spare since open
 * @param remapped          blocks currently remapped
 * @param pending           blocks currently pending reallocation
 * @param sparesUsed        spares holding data
 * @param sparesRetired     spares that failed
 * @param sparesTotal       size of the spare area
 * @param journalGeneration generation of the newest durable metadata record
 * @param readRetries       extra read attempts (part of {@code retries})
 * @param writeRetries      extra write attempts (part of {@code retries})
 * @param readsRecovered    block reads that succeeded on a retry
 * @param writeErrorsReported write errors returned because automatic write reallocation was off
 */
public record StatsSnapshot(long reads, long writes, long blocksRead, long blocksWritten, long flushes, long discards,
                            long readErrors, long writeErrors, long retries, long remaps, long reallocationFailures,
                            long remapped, long pending, long sparesUsed, long sparesRetired, long sparesTotal,
                            long journalGeneration, long checkpointGeneration, long commitGroups,
                            long journalRecords, long checkpoints, Health health, long readRetries,
                            long writeRetries, long readsRecovered, long writeErrorsReported) {

    /** Spares used or retired, in percent of the spare area. */
    public int spareUsePercent() {
        return sparesTotal == 0 ? 100 : (int) ((sparesUsed + sparesRetired) * 100 / sparesTotal);
    }
}
