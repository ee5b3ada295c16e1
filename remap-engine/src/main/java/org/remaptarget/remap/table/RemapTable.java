package org.remaptarget.remap.table;

/**
 * The in-memory map from a remapped LBA to the spare block that now holds its data: a resizable hash with
 * separate chaining, following the dm-remap policy (load = count x 100 / buckets; double above the grow threshold,
 * halve below the shrink threshold, never below the minimum bucket count), rehashed incrementally.
 *
 * <p>Pure memory: no I/O, no persistence (the metadata layer persists it). Lookups never block and never observe a
 * torn state during a resize; mutations are serialised by the implementation.
 */
public interface RemapTable {

    /** Returned by {@link #get(long)} for an LBA that is not remapped. */
    long NOT_MAPPED = -1L;

    /** The spare block holding {@code lba}, or {@link #NOT_MAPPED}. Lock-free; safe against concurrent updates. */
    long get(long lba);

    /**
     * Maps {@code lba} to {@code spare}, replacing an existing mapping.
     *
     * @return the previous spare, or {@link #NOT_MAPPED}
     */
    long put(long lba, long spare);

    /** Removes the mapping of {@code lba}; returns the spare it had, or {@link #NOT_MAPPED}. */
    long remove(long lba);

    /** Number of mappings. */
    long size();

    /** Current number of buckets (the policy's denominator). */
    long bucketCount();

    /**
     * Finds the mappings of the LBAs in {@code [from, from + count)}, each as {@link #get} would (lock-free), and
     * stores them in ascending LBA order from index {@code at} on: {@code offsets[k]} the LBA's distance from
     * {@code from}, {@code spares[k]} its spare. Both arrays must have room for {@code count} more entries from
     * {@code at}. Decorators that know where no mapping can be skip those LBAs without a lookup; this default
     * looks up every one.
     *
     * @return {@code at} plus the number of mappings found
     */
    default int mappingsInRange(long from, int count, int[] offsets, long[] spares, int at) {
        for (int i = 0; i < count; i++) {
            long s = get(from + i);
            if (s != NOT_MAPPED) {
                offsets[at] = i;
                spares[at++] = s;
            }
        }
        return at;
    }

    /**
     * Replaces each {@code keys[i]}, {@code from <= i < to}, by the spare of that LBA or {@link #NOT_MAPPED}, each as
     * {@link #get} would (lock-free). Implementations may overlap the lookups' memory accesses (a range scan asks
     * for many LBAs at once); this default looks them up one after the other.
     */
    default void lookUpAll(long[] keys, int from, int to) {
        for (int i = from; i < to; i++) {
            keys[i] = get(keys[i]);
        }
    }

    /** Calls {@code action} for every mapping (a weakly consistent snapshot while mutations go on). */
    void forEach(EntryConsumer action);

    /** Registers a listener told about every completed resize decision. */
    void addResizeListener(ResizeListener listener);

    /** Receives one mapping. */
    @FunctionalInterface
    interface EntryConsumer {
        void accept(long lba, long spare);
    }

    /** Receives resize decisions: {@code from} to {@code to} buckets when the table held {@code count} entries. */
    @FunctionalInterface
    interface ResizeListener {
        void resized(long from, long to, long count);
    }
}
