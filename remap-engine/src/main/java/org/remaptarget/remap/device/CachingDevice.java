package org.remaptarget.remap.device;

import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Keeps the blocks of one region of a device {@code [from, +count)} that were last read or written through it in
 * memory, so reading them again is a copy instead of a device call. The engine puts its spare area behind one: a
 * request over a remapped block otherwise needs a second device call (the spare) beside the data area's, and that
 * call is most of what remapping costs a small read.
 *
 * <p>Structure: direct-mapped, {@code slots} blocks: region block {@code b} can only live in slot
 * {@code b % slots}. Spares are handed out from the start of the spare area, so the first {@code slots} spares in
 * use never evict each other. Block data and slot state live in chunks of 64 KiB of data, made when a block of the
 * chunk is first written or read, so memory follows the spares in use. Requests of more than
 * {@link #MAX_CACHED_BLOCKS} blocks are neither served from nor put into the cache (they pass through, invalidating
 * what they overwrite); blocks outside the region always pass through.
 *
 * <p>Admission: a write always takes its blocks' slots (it holds the newest data), and a read that misses fills
 * an empty slot, but takes a slot holding another block only once in {@value #READ_EVICTS_ONE_IN} misses. When
 * more spares are read than the cache holds, it then keeps a slowly changing part of them and serves those,
 * instead of copying every miss into memory only to evict it at the next one. And when fewer than
 * {@value #BYPASS_BELOW_PERCENT}% of a window of {@value #WINDOW} lookups hit (misses into empty slots not counted:
 * they warm a cold cache), reads bypass the cache but for one in {@value #BYPASS_SAMPLES_ONE_IN}, which keep
 * measuring; a window of those that hits enough turns it back on.
 * (In the engine's stress benchmark, random reads over four times as many spares as slots, reads of remapped blocks
 * ran 0.78–0.87 of raw reads of the same blocks with a cache that evicted on every miss, 0.94–0.96 with no cache,
 * and 0.93–0.94 with both rules.)
 *
 * <p>Consistency (the invariant: once a write or discard returns, no read returns the block's content from before
 * it; and the cache never holds content the device does not hold). Per slot there is a sequence number (odd while
 * the slot is being changed; readers of a cached block copy it and check the number did not move) and a state word
 * holding the number of writes begun (generation) and the number in flight, so that a write begins in one atomic
 * step (two separate counters let a write that began between another's two steps go unseen):
 * <ul>
 *   <li>a write (or discard) of a block first begins (one add to the state word), then drops the block from its
 *       slot, then calls the device. Afterwards it puts its own data into the slot only if it was the only write of
 *       that slot in flight when it began and the state word has not changed since (no write began after it, none
 *       was in flight beside it: its data is what the device holds); then it counts itself out;</li>
 *   <li>a read that misses notes the state word before calling the device, and puts what it read into the slot
 *       only if no write was in flight then and the word has not changed since (no write overlapped its read).</li>
 * </ul>
 * Failed device calls put nothing in the cache; a failed write leaves its blocks out of it. A block in the cache is
 * served without asking the device, as the page cache serves a cached page: new read errors of the medium under it
 * show when it leaves the cache. That is why this sits directly on the file or memory device, below fault
 * injection, so injected faults still fire on every request.
 *
 * <p>Locks: none held across a device call. A slot's sequence number is held (odd) only while a block is copied in
 * or dropped; writers spin for it, readers and fillers give up instead of waiting.
 */
public final class CachingDevice implements BlockDevice {
    /** Largest request (in blocks) served from or put into the cache. */
    public static final int MAX_CACHED_BLOCKS = 64;
    private static final int CHUNK_BYTES = 1 << 16;
    private static final long NO_FILL = -1;
    /** A slot's state word: writes begun so far (generation) above, writes in flight in the low bits. */
    private static final int WRITERS_BITS = 20;
    private static final long WRITERS_MASK = (1L << WRITERS_BITS) - 1;
    private static final long ONE_WRITE_BEGUN = (1L << WRITERS_BITS) + 1;
    /** A read that misses takes another block's slot once in this many misses (writes always take theirs). */
    static final int READ_EVICTS_ONE_IN = 16;
    /** Reads are looked up in the cache again and again; each window of this many decides whether to keep on. */
    static final int WINDOW = 1024;
    /** Below this share of hits in a window (percent), reads bypass the cache... */
    static final int BYPASS_BELOW_PERCENT = 50;
    /** ...all but one in this many, which keep measuring whether it would serve them now. */
    static final int BYPASS_SAMPLES_ONE_IN = 16;
    /** A lookup checks whether a window is complete once in this many. */
    private static final int CHECK_ONE_IN = 64;

    /** The cache's sampling decisions ({@link #RANDOM}; tests make them deterministic). */
    interface Chance {
        /** True once in {@code n} calls on average; {@code n} 1: always, 0: never. */
        boolean oneIn(int n);
    }

    static final Chance RANDOM = n -> n == 1 || n > 1 && ThreadLocalRandom.current().nextInt(n) == 0;

    private final BlockDevice inner;
    private final int bs;
    private final long from;
    private final long end;
    private final int slots;
    private final int slotsPerChunk;
    /** log2 of {@link #slotsPerChunk} (block sizes are powers of two): chunk and index within it by shift and mask. */
    private final int chunkShift;
    private final Chance chance;
    private final AtomicBoolean reconsidering = new AtomicBoolean();
    /** Whether reads pass the cache by (but for samples): set when a window's hits fall below its threshold. */
    private volatile boolean bypassReads;
    /** Hits and conflicts counted when the current window began (written by the thread deciding the last window). */
    private long windowHits;
    private long windowConflicts;
    private final AtomicReferenceArray<Chunk> chunks;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    /** Blocks of misses whose slot held another block (misses into empty slots only fill a cold cache). */
    private final LongAdder conflicts = new LongAdder();

    /**
     * @param inner       the device (owned: closed with this one)
     * @param from        first cached LBA of {@code inner}
     * @param count       number of cached LBAs
     * @param cacheBlocks slots: how many blocks the cache holds at most (≥ 1)
     */
    public CachingDevice(BlockDevice inner, long from, long count, int cacheBlocks) {
        this(inner, from, count, cacheBlocks, RANDOM);
    }

    /** As above, with the sampling decisions taken from {@code chance} (for tests). */
    CachingDevice(BlockDevice inner, long from, long count, int cacheBlocks, Chance chance) {
        inner.checkRange(from, count);
        if (cacheBlocks < 1) {
            throw new IllegalArgumentException("a cache needs at least one block, not " + cacheBlocks);
        }
        this.inner = inner;
        this.bs = inner.blockSize();
        this.from = from;
        this.end = from + count;
        this.slots = (int) Math.min(cacheBlocks, Math.max(1, count));
        this.slotsPerChunk = CHUNK_BYTES / bs;
        this.chunkShift = Integer.numberOfTrailingZeros(slotsPerChunk);
        this.chance = chance;
        this.chunks = new AtomicReferenceArray<>((slots + slotsPerChunk - 1) / slotsPerChunk);
    }

    /**
     * The data and the per-slot state of {@code slotsPerChunk} consecutive slots, made when a block of one of them is
     * first written or filled (a chunk never goes away, so every thread works on the same one).
     */
    private static final class Chunk {
        /** Longs per slot in {@link #meta}: sequence number, tag, state word, one unused: 32 bytes a slot. */
        private static final int STRIDE = 4;
        final ByteBuffer data;
        /**
         * Per slot, side by side so one cache line holds them: the sequence number (odd while the slot changes), the
         * tag (region block + 1 held; 0: none), and the state word (generation and writes in flight in one word, so
         * a write begins in one atomic step).
         */
        private final AtomicLongArray meta;

        Chunk(int slots, int blockSize) {
            data = ByteBuffer.allocate(slots * blockSize);
            meta = new AtomicLongArray(slots * STRIDE);
        }

        long seq(int k) {
            return meta.get(k * STRIDE);
        }

        boolean casSeq(int k, long expect, long update) {
            return meta.compareAndSet(k * STRIDE, expect, update);
        }

        void setSeq(int k, long v) {
            meta.set(k * STRIDE, v);
        }

        long tag(int k) {
            return meta.get(k * STRIDE + 1);
        }

        void setTag(int k, long v) {
            meta.set(k * STRIDE + 1, v);
        }

        long state(int k) {
            return meta.get(k * STRIDE + 2);
        }

        long addState(int k, long delta) {
            return meta.addAndGet(k * STRIDE + 2, delta);
        }
    }

    /** Blocks read from the cache, and blocks of cacheable reads that went to the device (for tests and stats). */
    public long hits() {
        return hits.sum();
    }

    public long misses() {
        return misses.sum();
    }

    @Override
    public int blockSize() {
        return bs;
    }

    @Override
    public long blockCount() {
        return inner.blockCount();
    }

    @Override
    public void read(long lba, ByteBuffer dst) throws IOException {
        int n = blocksIn(dst);
        checkRange(lba, n);
        if (n > MAX_CACHED_BLOCKS || lba < from || lba + n > end
                || bypassReads && !chance.oneIn(BYPASS_SAMPLES_ONE_IN)) {
            inner.read(lba, dst);
            return;
        }
        int start = dst.position();
        if (allCached(lba, n, dst, start)) {
            dst.position(start + n * bs);
            hits.add(n);
            reconsider();
            return;
        }
        misses.add(n);
        reconsider();
        long[] tickets = new long[n];
        int first = slot(lba);
        for (int i = 0, slot = first; i < n; i++, slot = next(slot)) {
            tickets[i] = fillTicket(slot, lba + i);
        }
        inner.read(lba, dst);
        for (int i = 0, slot = first; i < n; i++, slot = next(slot)) {
            if (tickets[i] != NO_FILL) {
                fill(slot, lba + i, dst, start + i * bs, tickets[i]);
            }
        }
    }

    @Override
    public void write(long lba, ByteBuffer src, boolean fua) throws IOException {
        int n = blocksIn(src);
        checkRange(lba, n);
        long a = Math.max(lba, from);
        long b = Math.min(lba + n, end);
        if (a >= b) {
            inner.write(lba, src, fua);
            return;
        }
        int start = src.position();
        boolean keep = n <= MAX_CACHED_BLOCKS;
        long[] tickets = keep ? new long[(int) (b - a)] : null;
        begin(a, b, tickets);
        try {
            inner.write(lba, src, fua);
            if (keep) {
                int slot = slot(a);
                for (long x = a; x < b; x++, slot = next(slot)) {
                    long t = tickets[(int) (x - a)];
                    if (t != NO_FILL) {
                        fill(slot, x, src, start + (int) (x - lba) * bs, t);
                    }
                }
            }
        } finally {
            finish(a, b);
        }
    }

    @Override
    public void discard(long lba, long blocks) throws IOException {
        checkRange(lba, blocks);
        long a = Math.max(lba, from);
        long b = Math.min(lba + blocks, end);
        if (a >= b) {
            inner.discard(lba, blocks);
            return;
        }
        begin(a, b, null);
        try {
            inner.discard(lba, blocks);
        } finally {
            finish(a, b);
        }
    }

    @Override
    public void flush() throws IOException {
        inner.flush();
    }

    @Override
    public AllocationRun allocation(long lba, long maxBlocks) throws IOException {
        return inner.allocation(lba, maxBlocks);
    }

    @Override
    public void close() throws IOException {
        inner.close();
    }

    @Override
    public String toString() {
        return inner.toString();
    }

    // ------------------------------------------------------------------ slots

    private int slot(long lba) {
        return (int) ((lba - from) % slots);
    }

    /** The index of {@code slot} within its chunk. */
    private int index(int slot) {
        return slot & (slotsPerChunk - 1);
    }

    /** The slot of the block after the one in {@code slot} (a request's blocks take their slots in turn). */
    private int next(int slot) {
        return slot + 1 == slots ? 0 : slot + 1;
    }

    private static long tag(long lba) {
        return lba + 1;
    }

    /** The chunk of {@code slot}, made now if it does not exist yet. */
    private Chunk chunk(int slot) {
        int i = slot >>> chunkShift;
        Chunk c = chunks.get(i);
        if (c == null) {
            chunks.compareAndSet(i, null, new Chunk(Math.min(slotsPerChunk, slots - i * slotsPerChunk), bs));
            c = chunks.get(i);
        }
        return c;
    }

    /** Copies the blocks into {@code dst} if every one is cached and none changed while copied. */
    private boolean allCached(long lba, int n, ByteBuffer dst, int start) {
        for (int i = 0, slot = slot(lba); i < n; i++, slot = next(slot)) {
            Chunk c = chunks.get(slot >>> chunkShift);
            if (c == null) {
                return false;
            }
            int k = index(slot);
            long v = c.seq(k);
            if ((v & 1) != 0 || c.tag(k) != tag(lba + i)) {
                return false;
            }
            dst.put(start + i * bs, c.data, k * bs, bs);
            VarHandle.acquireFence(); // the copy is read before the sequence number is checked again
            if (c.seq(k) != v) {
                return false;
            }
        }
        return true;
    }

    /**
     * Before a device read of {@code lba}: the slot state to fill against, or {@link #NO_FILL} while a write is in
     * flight, or when the slot holds another block and this miss is not one of those allowed to evict it.
     */
    private long fillTicket(int slot, long lba) {
        Chunk c = chunk(slot);
        int k = index(slot);
        long s = c.state(k);
        if ((s & WRITERS_MASK) != 0) {
            return NO_FILL;
        }
        long t = c.tag(k);
        if (t != 0 && t != tag(lba)) {
            conflicts.increment();
            if (!evictOnRead()) {
                return NO_FILL;
            }
        }
        return s;
    }

    private boolean evictOnRead() {
        return chance.oneIn(READ_EVICTS_ONE_IN);
    }

    /**
     * Once a window of {@link #WINDOW} lookups is complete, decides from its share of hits whether reads bypass the
     * cache from now on (one thread decides; the counts are sums, so a window spans whatever the threads did). Only
     * hits and misses into slots held by other blocks count: a cold cache filling empty slots is not turned off.
     */
    private void reconsider() {
        if (!chance.oneIn(CHECK_ONE_IN) || !reconsidering.compareAndSet(false, true)) {
            return;
        }
        try {
            long h = hits.sum();
            long m = conflicts.sum();
            long dh = h - windowHits;
            long dm = m - windowConflicts;
            if (dh + dm >= WINDOW) {
                bypassReads = dh * 100 < (dh + dm) * BYPASS_BELOW_PERCENT;
                windowHits = h;
                windowConflicts = m;
            }
        } finally {
            reconsidering.set(false);
        }
    }

    /** Whether reads pass the cache by now (all but samples), their hits having fallen below the threshold. */
    public boolean bypassingReads() {
        return bypassReads;
    }

    /**
     * Puts block {@code lba} (at {@code off} of {@code data}) into its slot if the slot's state is still
     * {@code ticket} (no write begun since, none ended or begun in between); gives up if the slot is busy.
     */
    private void fill(int slot, long lba, ByteBuffer data, int off, long ticket) {
        Chunk c = chunk(slot);
        int k = index(slot);
        long v = c.seq(k);
        if ((v & 1) != 0 || !c.casSeq(k, v, v + 1)) {
            return;
        }
        try {
            if (c.state(k) != ticket) {
                return;
            }
            c.setTag(k, 0);
            c.data.put(k * bs, data, off, bs);
            c.setTag(k, tag(lba));
        } finally {
            c.setSeq(k, v + 2);
        }
    }

    /**
     * Begins a write of {@code [a, b)}: counts it in and bumps the generation in one atomic step per block, then
     * drops those blocks from the cache. Fills {@code tickets} (if given) with the state each block's own fill
     * needs, or {@link #NO_FILL} where another write of the slot was already in flight.
     */
    private void begin(long a, long b, long[] tickets) {
        int slot = slot(a);
        for (long x = a; x < b; x++, slot = next(slot)) {
            Chunk c = chunk(slot);
            int k = index(slot);
            long s = c.addState(k, ONE_WRITE_BEGUN);
            if (tickets != null) {
                tickets[(int) (x - a)] = (s & WRITERS_MASK) == 1 ? s : NO_FILL;
            }
            drop(c, k, tag(x));
        }
    }

    private void finish(long a, long b) {
        int slot = slot(a);
        for (long x = a; x < b; x++, slot = next(slot)) {
            chunks.get(slot >>> chunkShift).addState(index(slot), -1);
        }
    }

    /** Drops {@code tag} from slot {@code k} of {@code c} if it is there, waiting for a fill in progress to end. */
    private static void drop(Chunk c, int k, long tag) {
        for (int spins = 0; ; spins++) {
            long v = c.seq(k);
            if ((v & 1) == 0) {
                if (c.tag(k) != tag) {
                    return; // a fill that starts from now on sees the new generation and does not put it back
                }
                if (c.casSeq(k, v, v + 1)) {
                    c.setTag(k, 0);
                    c.setSeq(k, v + 2);
                    return;
                }
            }
            if (spins > 64) {
                Thread.yield();
            } else {
                Thread.onSpinWait();
            }
        }
    }
}
