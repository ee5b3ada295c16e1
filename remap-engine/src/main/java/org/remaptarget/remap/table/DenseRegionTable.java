package org.remaptarget.remap.table;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link RemapTable} that keeps the mappings of remapped regions (regions where at least one block in 64 moved) in
 * packed per-region arrays and every other mapping in the hash it wraps. A lookup in such a region costs a bit test
 * and an array load instead of a walk through the hash (bucket head, then entry: two or three dependent misses),
 * and a range lookup reads the region's mappings in LBA order, sequentially, instead of one hash probe per remapped
 * block.
 *
 * <p><b>Owns</b> a directory with one slot per region of {@code 2^shift} LBAs: null (the region's mappings are in
 * the inner table) or a {@link Packed} region: one bit per LBA, the count of mappings before each 64-LBA word, and
 * the spares of the mapped LBAs in LBA order (an int each), plus a per-region mapping count. A region moves into a
 * packed array when its count reaches {@code 1/64} of its blocks, where it costs ~17 bytes per mapping against the
 * hash's ~24 (4 bytes per mapping plus 3/16 of a byte per block), and moves back to the hash when removals bring it
 * below {@code 1/128} (~30 bytes per mapping), so a region never costs more than 32 bytes per mapping in either
 * form. Moving a region costs one bounded step (one lookup per block of the region and one removal per mapping),
 * never work proportional to the table. Packed arrays hold spare indices as ints, so they are used only when every
 * spare index fits ({@code spareCapacity < 2^31 - 1}).
 *
 * <p>A packed region is immutable once published: a put or remove in it publishes a copy (at most 4 bytes per block
 * of the region and ~3/16 of a byte per block for the bitmap and counts; remaps are rare and each costs a journal
 * commit), so a reader sees one consistent version of the region without locks.
 *
 * <p><b>Invariant</b>: every mapping lives in exactly one place once a move completes; while a region moves into
 * its packed array, the array is published (release) before its mappings leave the hash; {@link #size()} is a
 * separate count that moves do not touch. A reader that
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

    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Packed[].class);

    private final RemapTable inner;
    private final long dataBlocks;
    private final int shift;
    private final long regionMask;
    private final long spareCapacity;
    private final boolean denseAllowed;
    private final Packed[] packed;
    private final int[] counts;
    private final int moveInAt;
    private final int moveOutBelow;
    private final ReentrantLock lock = new ReentrantLock();
    /** All mappings (moves do not change it); raised before a new mapping is published, lowered after one goes. */
    private volatile long total;
    /** Mappings held in packed regions. */
    private volatile long denseMappings;
    /** Raised by one when a region starts moving and again when it is done (odd while one moves). */
    private volatile long moves;
    private long regionsMovedIn;
    private long regionsMovedOut;

    /**
     * @param inner         the hash holding sparse regions' mappings (empty or not: existing mappings stay there
     *                      until their region's count next changes)
     * @param dataBlocks    the addressable LBAs; mappings of other LBAs always go to the inner table
     * @param spareCapacity the spare blocks there are (packed regions are used only if every index fits an int)
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
        this.packed = new Packed[regions];
        this.counts = new int[regions];
        this.moveInAt = Math.max(2, 1 << Math.max(0, s - 6));
        this.moveOutBelow = Math.max(1, 1 << Math.max(0, s - 7));
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

    /** Mappings at which a region moves into a packed array, and below which it moves back into the hash. */
    public int[] moveThresholds() {
        return new int[] {moveInAt, moveOutBelow};
    }

    /**
     * One region's mappings, immutable once published: bit {@code i} of {@code bits} says whether LBA {@code i} of
     * the region is mapped; its spare is {@code spares[before[i / 64] + (mapped bits of its word below i)]}.
     */
    static final class Packed {
        final long[] bits;
        final int[] before;
        final int[] spares;

        private Packed(long[] bits, int[] spares) {
            this.bits = bits;
            this.spares = spares;
            this.before = new int[bits.length];
            int n = 0;
            for (int w = 0; w < bits.length; w++) {
                before[w] = n;
                n += Long.bitCount(bits[w]);
            }
        }

        private Packed(long[] bits, int[] before, int[] spares) {
            this.bits = bits;
            this.before = before;
            this.spares = spares;
        }

        /** Index in {@code spares} of offset {@code i} (mapped or where it would go). */
        int rank(int i) {
            return before[i >>> 6] + Long.bitCount(bits[i >>> 6] & ((1L << i) - 1));
        }

        boolean has(int i) {
            return (bits[i >>> 6] & (1L << i)) != 0;
        }

        long get(int i) {
            return has(i) ? spares[rank(i)] : NOT_MAPPED;
        }

        int count() {
            return spares.length;
        }

        /** A copy with offset {@code i} mapped to {@code spare}. */
        Packed with(int i, int spare) {
            int r = rank(i);
            if (has(i)) {
                int[] s = spares.clone();
                s[r] = spare;
                return new Packed(bits, before, s);
            }
            long[] b = bits.clone();
            b[i >>> 6] |= 1L << i;
            int[] s = new int[spares.length + 1];
            System.arraycopy(spares, 0, s, 0, r);
            s[r] = spare;
            System.arraycopy(spares, r, s, r + 1, spares.length - r);
            return new Packed(b, s);
        }

        /** A copy without offset {@code i} (which is mapped). */
        Packed without(int i) {
            int r = rank(i);
            long[] b = bits.clone();
            b[i >>> 6] &= ~(1L << i);
            int[] s = new int[spares.length - 1];
            System.arraycopy(spares, 0, s, 0, r);
            System.arraycopy(spares, r + 1, s, r, spares.length - r - 1);
            return new Packed(b, s);
        }

        /**
         * Appends the mappings of offsets {@code [lo, hi)} to {@code offsets}/{@code spares} from index {@code at},
         * each offset plus {@code shiftBy}; returns the new end.
         */
        int collect(int lo, int hi, int shiftBy, int[] offsets, long[] out, int at) {
            for (int w = lo >>> 6; w <= (hi - 1) >>> 6; w++) {
                long word = bits[w];
                int first = w << 6;
                if (first < lo) {
                    word &= -1L << lo; // offsets below lo (same word) out
                }
                if (hi - first < 64) {
                    word &= (1L << (hi - first)) - 1; // offsets from hi on out
                }
                if (word == 0) {
                    continue;
                }
                int r = before[w] + Long.bitCount(bits[w] & ((1L << Long.numberOfTrailingZeros(word)) - 1));
                while (word != 0) {
                    int b = Long.numberOfTrailingZeros(word);
                    offsets[at] = first + b + shiftBy;
                    out[at++] = spares[r++];
                    word &= word - 1;
                }
            }
            return at;
        }

        /** Gives every mapping of the region, in LBA order, to {@code action} as {@code (base + offset, spare)}. */
        void forEach(long base, EntryConsumer action) {
            int r = 0;
            for (int w = 0; w < bits.length; w++) {
                for (long word = bits[w]; word != 0; word &= word - 1) {
                    action.accept(base + (w << 6) + Long.numberOfTrailingZeros(word), spares[r++]);
                }
            }
        }

        long memoryBytes() {
            return 16 + Footprint.longArray(bits.length) + Footprint.intArray(before.length)
                    + Footprint.intArray(spares.length);
        }
    }

    // ------------------------------------------------------------------------------------------------ readers

    @Override
    public long get(long lba) {
        if (!inRange(lba)) {
            return inner.get(lba);
        }
        int r = (int) (lba >>> shift);
        for (int attempt = 0; attempt < MOVE_RETRIES; attempt++) {
            Packed p = (Packed) SLOTS.getAcquire(packed, r);
            if (p != null) {
                return p.get((int) (lba & regionMask));
            }
            long stamp = moves;
            long s = inner.get(lba);
            if (s != NOT_MAPPED) {
                return s;
            }
            p = (Packed) SLOTS.getAcquire(packed, r); // the region may have moved into an array meanwhile
            if (p != null) {
                return p.get((int) (lba & regionMask));
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
            Packed p = packed[(int) (lba >>> shift)];
            return p != null ? p.get((int) (lba & regionMask)) : inner.get(lba);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Packed regions are read from their arrays, the others asked of the inner table; a region that moved into its
     * array while the inner table was asked (the hash may have lost some of its mappings under the scan) is read
     * again from the array, replacing what the hash gave.
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
            Packed p = (Packed) SLOTS.getAcquire(packed, r);
            int first = at;
            for (int attempt = 0; p == null; attempt++) {
                long stamp = moves;
                at = inner.mappingsInRange(lba, (int) (stop - lba), offsets, spares, first);
                p = (Packed) SLOTS.getAcquire(packed, r);
                if (p == null && moves == stamp) {
                    int shiftBy = (int) (lba - from);
                    for (int k = first; k < at; k++) {
                        offsets[k] += shiftBy;
                    }
                    break;
                }
                at = first; // a region moved under the scan: what the hash gave may lack mappings
                if (p == null && attempt == MOVE_RETRIES) { // (with an array now, the read below takes it)
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
            if (p != null) {
                long base = (long) r << shift;
                at = p.collect((int) (lba - base), (int) (stop - base), (int) (base - from), offsets, spares, at);
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
            Packed p = packed[r];
            if (p != null) {
                int i = (int) (lba & regionMask);
                long old = p.get(i);
                if (old == NOT_MAPPED) {
                    total++;
                    counts[r]++;
                    denseMappings++;
                }
                SLOTS.setRelease(packed, r, p.with(i, (int) spare));
                return old;
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
            Packed p = packed[r];
            if (p == null) {
                long old = uncounted(inner.remove(lba));
                if (old != NOT_MAPPED) {
                    counts[r]--;
                }
                return old;
            }
            int i = (int) (lba & regionMask);
            long old = p.get(i);
            if (old != NOT_MAPPED) {
                Packed q = p.without(i);
                SLOTS.setRelease(packed, r, q);
                total--;
                counts[r]--;
                denseMappings--;
                if (counts[r] < moveOutBelow) {
                    moveOut(r, q);
                }
            }
            return old;
        } finally {
            lock.unlock();
        }
    }

    /** Moves region {@code r}'s mappings from the hash into a new packed array (caller holds the lock). */
    private void moveIn(int r) {
        long base = (long) r << shift;
        int length = (int) Math.min(1L << shift, dataBlocks - base);
        long[] bits = new long[(length + 63) >>> 6];
        int[] found = new int[counts[r]];
        int n = 0;
        for (int i = 0; i < length; i++) {
            long s = inner.get(base + i);
            if (s != NOT_MAPPED) {
                if (s >= Integer.MAX_VALUE - 1) {
                    return; // an index beyond an int: this region stays in the hash
                }
                if (n == found.length) {
                    found = Arrays.copyOf(found, n * 2 + 1);
                }
                bits[i >>> 6] |= 1L << i;
                found[n++] = (int) s;
            }
        }
        Packed p = new Packed(bits, n == found.length ? found : Arrays.copyOf(found, n));
        moves++;
        SLOTS.setRelease(packed, r, p);
        denseMappings += n;
        for (int i = 0; i < length; i++) {
            if (p.has(i)) {
                inner.remove(base + i);
            }
        }
        counts[r] = n;
        regionsMovedIn++;
        moves++;
    }

    /** Moves region {@code r}'s mappings back into the hash and drops its packed array (caller holds the lock). */
    private void moveOut(int r, Packed p) {
        long base = (long) r << shift;
        moves++;
        p.forEach(base, inner::put);
        SLOTS.setRelease(packed, r, null); // the array stays intact for readers still holding it
        denseMappings -= p.count();
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
            for (int r = 0; r < packed.length; r++) {
                Packed p = packed[r];
                if (p != null) {
                    p.forEach((long) r << shift, action);
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

    /** Regions whose mappings are held in packed arrays now. */
    public int denseRegions() {
        lock.lock();
        try {
            int n = 0;
            for (Packed p : packed) {
                n += p == null ? 0 : 1;
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    /** Mappings held in packed arrays now. */
    public long denseMappings() {
        return denseMappings;
    }

    /** Moves of a region into a packed array, and back into the hash, since construction. */
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
            long bytes = Footprint.refArray(packed.length) + Footprint.intArray(counts.length);
            for (Packed p : packed) {
                bytes += p == null ? 0 : p.memoryBytes();
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
