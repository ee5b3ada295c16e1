package org.remaptarget.remap.table;

/**
 * A {@link RemapTable} decorator that answers "not remapped" without touching the hash for LBAs in regions that
 * never held a remap: one bit per region of {@code 2^shift} blocks, set before a mapping is published and never
 * cleared (a stale bit costs one hash lookup, never a wrong answer). Most reads of a sparsely remapped volume then
 * cost a bit test instead of a hash lookup per block.
 *
 * <p>Invariant: for every mapping in the inner table, its region bit is set. {@link #put} sets the bit (a volatile
 * write) before the inner put, so a reader that finds the bit clear either runs before the put completes (and may
 * read the primary, as it would without the filter) or sees the mapping. The bitmap is at most 16 MiB: regions grow
 * with the volume. Thread-safe; no locks beyond the inner table's.
 */
public final class PresenceFilteredTable implements RemapTable {
    private static final int MAX_BITS_LOG2 = 27; // 2^27 bits = 16 MiB

    private final RemapTable inner;
    private final long dataBlocks;
    private final RegionBitmap bits;

    /**
     * @param inner      the table holding the mappings (empty or not: existing mappings are indexed)
     * @param dataBlocks the number of addressable LBAs (the filter covers {@code [0, dataBlocks)}; other LBAs
     *                   always go to the inner table)
     */
    public PresenceFilteredTable(RemapTable inner, long dataBlocks) {
        this.inner = inner;
        this.dataBlocks = Math.max(1, dataBlocks);
        this.bits = new RegionBitmap(this.dataBlocks, 0, MAX_BITS_LOG2);
        inner.forEach((lba, spare) -> mark(lba));
    }

    /** Blocks per filter bit (a power of two). */
    public long blocksPerBit() {
        return 1L << bits.shift();
    }

    private void mark(long lba) {
        if (lba < 0 || lba >= dataBlocks) {
            return;
        }
        bits.set(lba);
    }

    private boolean maybePresent(long lba) {
        return lba < 0 || lba >= dataBlocks || bits.get(lba);
    }

    @Override
    public long get(long lba) {
        return maybePresent(lba) ? inner.get(lba) : NOT_MAPPED;
    }

    /**
     * Skips regions whose bit is clear a word (64 regions) at a time; looks up only LBAs of marked regions, all of
     * them in one {@link RemapTable#lookUpAll} (staged in {@code spares}, then compacted).
     */
    @Override
    public int mappingsInRange(long from, int count, int[] offsets, long[] spares, int at) {
        long end = from + count;
        if (count <= 0 || from < 0 || end > dataBlocks) {
            return RemapTable.super.mappingsInRange(from, count, offsets, spares, at);
        }
        int shift = bits.shift();
        long last = (end - 1) >>> shift;
        int staged = at;
        for (long r = bits.nextSet(from >>> shift, last); r >= 0; r = bits.nextSet(r + 1, last)) {
            long stop = Math.min(end, (r + 1) << shift);
            for (long lba = Math.max(from, r << shift); lba < stop; lba++) {
                offsets[staged] = (int) (lba - from);
                spares[staged++] = lba;
            }
        }
        inner.lookUpAll(spares, at, staged);
        int found = at;
        for (int k = at; k < staged; k++) {
            if (spares[k] != NOT_MAPPED) {
                offsets[found] = offsets[k];
                spares[found++] = spares[k];
            }
        }
        return found;
    }

    @Override
    public long put(long lba, long spare) {
        mark(lba);
        return inner.put(lba, spare);
    }

    @Override
    public long remove(long lba) {
        return inner.remove(lba);
    }

    @Override
    public long size() {
        return inner.size();
    }

    @Override
    public long bucketCount() {
        return inner.bucketCount();
    }

    @Override
    public void forEach(EntryConsumer action) {
        inner.forEach(action);
    }

    @Override
    public void addResizeListener(ResizeListener listener) {
        inner.addResizeListener(listener);
    }

    /** The wrapped table. */
    public RemapTable inner() {
        return inner;
    }
}
