package org.remaptarget.remap.table;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link RemapTable} that keeps the mappings of densely remapped regions in direct arrays and every other mapping
 * in the hash it wraps, so that a lookup in a region where many blocks failed costs one array load (one cache
 * miss) instead of a walk through the hash (bucket head, then entry: two or three dependent misses).
 *
 * <p><b>Owns</b> a directory with one slot per region of {@code 2^shift} LBAs: null (the region's mappings are in
 * the inner table) or an {@code int[]} holding {@code spare + 1} per LBA of the region (0 = not mapped), plus a
 * per-region mapping count. A region moves to an array when its count reaches a quarter of its blocks, where the
 * array (4 bytes per block, at most 16 bytes per mapping) costs less memory than the hash (about 24 bytes per
 * mapping), and moves back to the hash when removals bring it below an eighth (at most 32 bytes per mapping), so
 * memory per mapping only ever falls below the hash's. Moving a region costs one bounded step (one lookup per
 * block of the region and one removal per mapping), never work proportional to the table. Dense arrays hold spare
 * indices as ints, so they are used only when every spare index fits ({@code spareCapacity < 2^31 - 1}).
 *
 * <p><b>Invariant</b>: every mapping lives in exactly one place once a move completes; while a region moves into
 * an array, its array is published (release) before its mappings leave the hash; {@link #size()} is a separate
 * count that moves do not touch. A reader that
 * found the region's slot empty and then missed in the hash re-reads the slot: having observed a removal made by a
 * move, it also observes the array published before it. A move counter (raised when a move starts and when it
 * ends) catches the rest: a miss during which any region moved (say into its array and back out) is looked up
 * again, and after {@value #MOVE_RETRIES} such misses in a row under the writers' lock, so a lookup waits only
 * if regions keep moving under it.
 *
 * <p><b>Locks</b>: one {@link ReentrantLock} serialises mutations and {@link #forEach}; {@link #get} takes none and
 * never waits. The inner table's own lock nests inside it.
 */
public final class DenseRegionTable implements RemapTable {
    /** LBAs per region by default (2^12). */
    public static final int DEFAULT_REGION_SHIFT = 12;
    /** Lookups that saw a region move this many times in a row ask under the lock instead. */
    private static final int MOVE_RETRIES = 8;
    /** The directory is kept at most this many regions (2^20 slots); regions grow with the volume. */
    private static final int MAX_REGIONS_LOG2 = 20;

    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(int[][].class);
    private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);

    private final RemapTable inner;
    private final long dataBlocks;
    private final int shift;
    private final long regionMask;
    private final long spareCapacity;
    private final boolean denseAllowed;
    private final int[][] dense;
    private final int[] counts;
    private final int moveInAt;
    private final int moveOutBelow;
    private final ReentrantLock lock = new ReentrantLock();
    /** All mappings (moves do not change it); raised before a new mapping is published, lowered after one goes. */
    private volatile long total;
    /** Mappings held in arrays. */
    private volatile long denseMappings;
    /** Raised by one when a region starts moving and again when it is done (odd while one moves). */
    private volatile long moves;
    private long regionsMovedIn;
    private long regionsMovedOut;

    /**
     * @param inner         the hash holding sparse regions' mappings (empty or not: existing mappings stay there
     *                      until their region's count next changes)
     * @param dataBlocks    the addressable LBAs; mappings of other LBAs always go to the inner table
     * @param spareCapacity the spare blocks there are (dense arrays are used only if every index fits an int)
     */
    public DenseRegionTable(RemapTable inner, long dataBlocks, long spareCapacity) {
        this(inner, dataBlocks, spareCapacity, DEFAULT_REGION_SHIFT);
    }

    /** As above with {@code 2^minShift} LBAs per region (more if the volume needs it to bound the directory). */
    public DenseRegionTable(RemapTable inner, long dataBlocks, long spareCapacity, int minShift) {
        if (minShift < 3 || minShift > 24) {
            throw new IllegalArgumentException("region shift must be within 3..24, got " + minShift);
        }
        this.inner = inner;
        this.dataBlocks = Math.max(1, dataBlocks);
        int s = RegionBitmap.shiftFor(this.dataBlocks, minShift, MAX_REGIONS_LOG2);
        this.shift = s;
        this.regionMask = (1L << s) - 1;
        this.spareCapacity = spareCapacity;
        this.denseAllowed = spareCapacity < Integer.MAX_VALUE;
        int regions = (int) (((this.dataBlocks - 1) >>> s) + 1);
        this.dense = new int[regions][];
        this.counts = new int[regions];
        this.moveInAt = 1 << (s - 2);
        this.moveOutBelow = 1 << (s - 3);
        inner.forEach((lba, spare) -> {
            if (inRange(lba)) {
                counts[(int) (lba >>> shift)]++;
            }
        });
        this.total = inner.size();
    }

    private boolean inRange(long lba) {
        return lba >= 0 && lba < dataBlocks;
    }

    // ------------------------------------------------------------------------------------------------ readers

    @Override
    public long get(long lba) {
        if (!inRange(lba)) {
            return inner.get(lba);
        }
        int r = (int) (lba >>> shift);
        for (int attempt = 0; attempt < MOVE_RETRIES; attempt++) {
            int[] d = (int[]) SLOTS.getAcquire(dense, r);
            if (d != null) {
                return decode((int) INTS.getAcquire(d, (int) (lba & regionMask)));
            }
            long stamp = moves;
            long s = inner.get(lba);
            if (s != NOT_MAPPED) {
                return s;
            }
            d = (int[]) SLOTS.getAcquire(dense, r); // the region may have moved into an array meanwhile
            if (d != null) {
                return decode((int) INTS.getAcquire(d, (int) (lba & regionMask)));
            }
            if (moves == stamp) {
                return NOT_MAPPED; // no region moved during the lookup: the miss stands
            }
        }
        return lockedGet(lba); // regions kept moving under this reader: ask under the writers' lock
    }

    private long lockedGet(long lba) {
        lock.lock();
        try {
            int[] d = dense[(int) (lba >>> shift)];
            return d != null ? decode(d[(int) (lba & regionMask)]) : inner.get(lba);
        } finally {
            lock.unlock();
        }
    }

    private static long decode(int v) {
        return v == 0 ? NOT_MAPPED : v - 1L;
    }

    /**
     * Dense regions are scanned in their arrays, the others asked of the inner table; a region that moved into its
     * array while the inner table was asked (the hash may have lost some of its mappings under the scan) is
     * scanned again in the array, replacing what the hash gave.
     */
    @Override
    public int mappingsInRange(long from, int count, int[] offsets, long[] spares, int at) {
        long end = from + count;
        if (count <= 0 || from < 0 || end > dataBlocks) {
            return RemapTable.super.mappingsInRange(from, count, offsets, spares, at);
        }
        long lba = from;
        while (lba < end) {
            int r = (int) (lba >>> shift);
            long stop = Math.min(end, ((long) r + 1) << shift);
            int[] d = (int[]) SLOTS.getAcquire(dense, r);
            int first = at;
            for (int attempt = 0; d == null; attempt++) {
                long stamp = moves;
                at = inner.mappingsInRange(lba, (int) (stop - lba), offsets, spares, first);
                d = (int[]) SLOTS.getAcquire(dense, r);
                if (d == null && moves == stamp) {
                    int shiftBy = (int) (lba - from);
                    for (int k = first; k < at; k++) {
                        offsets[k] += shiftBy;
                    }
                    break;
                }
                at = first; // a region moved under the scan: what the hash gave may lack mappings
                if (d == null && attempt == MOVE_RETRIES) { // (with an array now, the scan below reads it)
                    for (long l = lba; l < stop; l++) {
                        long v = lockedGet(l);
                        if (v != NOT_MAPPED) {
                            offsets[at] = (int) (l - from);
                            spares[at++] = v;
                        }
                    }
                    break;
                }
            }
            if (d != null) {
                for (long l = lba; l < stop; l++) {
                    int v = (int) INTS.getAcquire(d, (int) (l & regionMask));
                    if (v != 0) {
                        offsets[at] = (int) (l - from);
                        spares[at++] = v - 1L;
                    }
                }
            }
            lba = stop;
        }
        return at;
    }

    // ------------------------------------------------------------------------------------------------ writers

    @Override
    public long put(long lba, long spare) {
        if (spare < 0 || spare >= spareCapacity) {
            throw new IllegalArgumentException("spare " + spare + " outside the spare area of " + spareCapacity);
        }
        lock.lock();
        try {
            if (!inRange(lba)) {
                return counted(inner.put(lba, spare));
            }
            int r = (int) (lba >>> shift);
            int[] d = dense[r];
            if (d != null) {
                int i = (int) (lba & regionMask);
                int old = d[i];
                if (old == 0) {
                    total++;
                    counts[r]++;
                    denseMappings++;
                }
                INTS.setRelease(d, i, (int) (spare + 1));
                return decode(old);
            }
            long old = counted(inner.put(lba, spare));
            if (old == NOT_MAPPED && ++counts[r] >= moveInAt && denseAllowed) {
                moveIn(r);
            }
            return old;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long remove(long lba) {
        lock.lock();
        try {
            if (!inRange(lba)) {
                return uncounted(inner.remove(lba));
            }
            int r = (int) (lba >>> shift);
            int[] d = dense[r];
            if (d == null) {
                long old = uncounted(inner.remove(lba));
                if (old != NOT_MAPPED) {
                    counts[r]--;
                }
                return old;
            }
            int i = (int) (lba & regionMask);
            int old = d[i];
            if (old != 0) {
                INTS.setRelease(d, i, 0);
                total--;
                counts[r]--;
                denseMappings--;
                if (counts[r] < moveOutBelow) {
                    moveOut(r, d);
                }
            }
            return decode(old);
        } finally {
            lock.unlock();
        }
    }

    /** Moves region {@code r}'s mappings from the hash into a new array (caller holds the lock). */
    private void moveIn(int r) {
        long base = (long) r << shift;
        int length = (int) Math.min(1L << shift, dataBlocks - base);
        int[] d = new int[length];
        int found = 0;
        for (int i = 0; i < length; i++) {
            long s = inner.get(base + i);
            if (s != NOT_MAPPED) {
                if (s >= Integer.MAX_VALUE - 1) {
                    return; // an index beyond an int: this region stays in the hash
                }
                d[i] = (int) (s + 1);
                found++;
            }
        }
        moves++;
        SLOTS.setRelease(dense, r, d);
        denseMappings += found;
        for (int i = 0; i < length; i++) {
            if (d[i] != 0) {
                inner.remove(base + i);
            }
        }
        counts[r] = found;
        regionsMovedIn++;
        moves++;
    }

    /** Moves region {@code r}'s mappings back into the hash and drops its array (caller holds the lock). */
    private void moveOut(int r, int[] d) {
        long base = (long) r << shift;
        int moved = 0;
        moves++;
        for (int i = 0; i < d.length; i++) {
            if (d[i] != 0) {
                inner.put(base + i, d[i] - 1L);
                moved++;
            }
        }
        SLOTS.setRelease(dense, r, null); // the array stays intact for readers still holding it
        denseMappings -= moved;
        regionsMovedOut++;
        moves++;
    }

    // ------------------------------------------------------------------------------------------------ views

    /**
     * Counts a mapping made by an inner put that returned {@code old} (caller holds the lock). The count is raised
     * only after the put: a reader of {@link #size()} racing a first remap may still see 0, as it may miss the
     * mapping itself, and the engine orders writes against remaps with its own fence.
     */
    private long counted(long old) {
        if (old == NOT_MAPPED) {
            total++;
        }
        return old;
    }

    /** Uncounts a mapping an inner remove returned (caller holds the lock). */
    private long uncounted(long old) {
        if (old != NOT_MAPPED) {
            total--;
        }
        return old;
    }

    /** Exact between mutations; moves of a region between array and hash leave it unchanged. */
    @Override
    public long size() {
        return total;
    }

    @Override
    public long bucketCount() {
        return inner.bucketCount();
    }

    @Override
    public void forEach(EntryConsumer action) {
        lock.lock();
        try {
            inner.forEach(action);
            for (int r = 0; r < dense.length; r++) {
                int[] d = dense[r];
                if (d == null) {
                    continue;
                }
                long base = (long) r << shift;
                for (int i = 0; i < d.length; i++) {
                    if (d[i] != 0) {
                        action.accept(base + i, d[i] - 1L);
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void addResizeListener(ResizeListener listener) {
        inner.addResizeListener(listener);
    }

    /** LBAs per region. */
    public long regionBlocks() {
        return 1L << shift;
    }

    /** Regions whose mappings are held in arrays now. */
    public int denseRegions() {
        lock.lock();
        try {
            int n = 0;
            for (int[] d : dense) {
                n += d == null ? 0 : 1;
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    /** Mappings held in arrays now. */
    public long denseMappings() {
        return denseMappings;
    }

    /** Moves of a region into an array, and back into the hash, since construction. */
    public long[] regionMoves() {
        lock.lock();
        try {
            return new long[] {regionsMovedIn, regionsMovedOut};
        } finally {
            lock.unlock();
        }
    }

    /** Bytes held by this layer (directory, counts and arrays; the inner table not included). */
    public long memoryBytes() {
        lock.lock();
        try {
            long bytes = Footprint.refArray(dense.length) + Footprint.intArray(counts.length);
            for (int[] d : dense) {
                bytes += d == null ? 0 : Footprint.intArray(d.length);
            }
            return bytes;
        } finally {
            lock.unlock();
        }
    }

    /** The wrapped table. */
    public RemapTable inner() {
        return inner;
    }
}
