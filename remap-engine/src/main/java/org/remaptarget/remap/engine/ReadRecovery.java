package org.remaptarget.remap.engine;

/**
 * How a read that succeeded was recovered: the highest block of the request that could be read only on a retry,
 * and whether that block was then moved to a spare (automatic read reallocation). Returned by
 * {@link RemappingBlockDevice#readReporting} only when something was recovered.
 *
 * @param lba         the recovered block
 * @param reallocated the block now lives on a spare
 */
public record ReadRecovery(long lba, boolean reallocated) {

    /** The later of two recoveries (either may be null). */
    static ReadRecovery max(ReadRecovery a, ReadRecovery b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return b.lba >= a.lba ? b : a;
    }
}
