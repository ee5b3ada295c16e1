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
