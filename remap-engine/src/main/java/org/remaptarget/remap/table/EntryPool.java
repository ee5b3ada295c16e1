package org.remaptarget.remap.table;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Primitive storage for the table's entries: no object per entry. A slot holds a key and a value (adjacent longs
 * in a {@code long[]} chunk, so one cache line serves a probe) and a chain link (an {@code int[]} chunk):
 * 20 bytes per slot. Links are slot + 1 so that {@link #END} (0) is the zero-initialised state.
 *
 * <p><b>Chunks</b> hold {@value #CHUNK} slots. Growing the pool adds a chunk and, every doubling, copies only the
 * small chunk directory, so no allocation costs time proportional to the table. Each chunk keeps its own free
 * list (threaded through the link field), live count and a "has space" bit; allocation always takes the lowest
 * chunk with space. Because every rehash copies each live entry once, lowest-first allocation compacts the pool
 * as a side effect, and when the top two chunks are both empty the top one is released (one empty chunk stays as
 * hysteresis), so memory follows the entry count down as well as up.
 *
 * <p><b>Concurrency</b>: all mutators are called by the table's writer under its lock. Readers call only
 * {@link #kvDirectory}/{@link #linkDirectory} plus the static accessors and must tolerate stale paths: a reader
 * that followed a link out of a slot which has since been freed can see any value, including a slot whose chunk
 * its copy of the directory does not show (not yet, or no longer: released chunks are nulled); it then re-reads
 * the directories and, failing that, restarts (the table's sequence check makes every such path restart anyway).
 * The invariant the table relies on: a slot's fields are only overwritten, and a chunk only released, after its
 * entries were unlinked and the table's reuse sequence was bumped ({@link #free} is called after the bump).
 */
final class EntryPool {

    /** The end-of-chain link (and the empty free list). */
    static final int END = 0;

    static final int CHUNK_SHIFT = 10;
    static final int CHUNK = 1 << CHUNK_SHIFT;
    private static final int CHUNK_MASK = CHUNK - 1;
    /** Links are slot + 1 and must stay positive ints. */
    private static final int MAX_CHUNKS = (Integer.MAX_VALUE - 1) >>> CHUNK_SHIFT;

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);

    /** Chunk directories; replaced when they grow, entries set when a chunk is added and nulled when released. */
    private long[][] kv = new long[4][];
    private int[][] links = new int[4][];
    /** Per chunk: head of its free list (a link, END if none). */
    private int[] chunkFree = new int[4];
    /** Per chunk: index of its first never-used slot (CHUNK when all were used once). */
    private int[] chunkFresh = new int[4];
    /** Per chunk: slots holding entries (allocated and not freed). */
    private int[] chunkLive = new int[4];
    /** Bit c set: chunk c has a free or fresh slot. */
    private long[] spaceBits = new long[1];
    private int chunkCount;
    /** No chunk below this one has space. */
    private int lowestWithSpace;
    private long live;
    private long chunksReleased;

    // ---- reader side (lock-free; may run on stale paths) ----

    /** The key/value chunk directory as this reader sees it now (re-read after an acquire to see newer chunks). */
    long[][] kvDirectory() {
        return kv;
    }

    /** The link chunk directory as this reader sees it now. */
    int[][] linkDirectory() {
        return links;
    }

    static int chunkOf(int slot) {
        return slot >>> CHUNK_SHIFT;
    }

    static long keyIn(long[] kvChunk, int slot) {
        return kvChunk[(slot & CHUNK_MASK) << 1];
    }

    static long valueIn(long[] kvChunk, int slot) {
        return (long) LONGS.getOpaque(kvChunk, ((slot & CHUNK_MASK) << 1) + 1);
    }

    static int linkIn(int[] linkChunk, int slot) {
        return (int) INTS.getAcquire(linkChunk, slot & CHUNK_MASK);
    }

    // ---- writer side (caller holds the table lock) ----

    /**
     * Takes a slot (lowest chunk with space; its free list first) and fills it; the entry is not reachable until
     * the caller publishes its link with a release store.
     *
     * @return the new entry's link (slot + 1)
     */
    int allocate(long key, long value, int nextLink) {
        int c = chunkWithSpace();
        int slot;
        int free = chunkFree[c];
        if (free != END) {
            slot = free - 1;
            chunkFree[c] = links[c][slot & CHUNK_MASK];
        } else {
            slot = (c << CHUNK_SHIFT) + chunkFresh[c]++;
        }
        if (chunkFree[c] == END && chunkFresh[c] == CHUNK) {
            spaceBits[c >>> 6] &= ~(1L << c);
        }
        chunkLive[c]++;
        live++;
        long[] kvc = kv[c];
        int off = (slot & CHUNK_MASK) << 1;
        kvc[off] = key;
        kvc[off + 1] = value;
        links[c][slot & CHUNK_MASK] = nextLink;
        return slot + 1;
    }

    private int chunkWithSpace() {
        int words = (chunkCount + 63) >>> 6;
        for (int w = lowestWithSpace >>> 6; w < words; w++) {
            long bits = spaceBits[w];
            if (bits != 0) {
                int c = (w << 6) + Long.numberOfTrailingZeros(bits);
                lowestWithSpace = c;
                return c;
            }
        }
        return addChunk();
    }

    private int addChunk() {
        if (chunkCount == MAX_CHUNKS) {
            throw new IllegalStateException("remap table entry pool exhausted at " + MAX_CHUNKS + " chunks");
        }
        int c = chunkCount;
        if (c == kv.length) {
            int length = kv.length * 2;
            long[][] kvDir = java.util.Arrays.copyOf(kv, length);
            int[][] linkDir = java.util.Arrays.copyOf(links, length);
            chunkFree = java.util.Arrays.copyOf(chunkFree, length);
            chunkFresh = java.util.Arrays.copyOf(chunkFresh, length);
            chunkLive = java.util.Arrays.copyOf(chunkLive, length);
            spaceBits = java.util.Arrays.copyOf(spaceBits, (length + 63) >>> 6);
            kvDir[c] = new long[2 * CHUNK];
            linkDir[c] = new int[CHUNK];
            kv = kvDir;
            links = linkDir;
        } else {
            kv[c] = new long[2 * CHUNK];
            links[c] = new int[CHUNK];
        }
        chunkFree[c] = END;
        chunkFresh[c] = 0;
        chunkLive[c] = 0;
        spaceBits[c >>> 6] |= 1L << c;
        chunkCount++;
        lowestWithSpace = c;
        return c;
    }

    long key(int link) {
        int slot = link - 1;
        return kv[slot >>> CHUNK_SHIFT][(slot & CHUNK_MASK) << 1];
    }

    long value(int link) {
        int slot = link - 1;
        return kv[slot >>> CHUNK_SHIFT][((slot & CHUNK_MASK) << 1) + 1];
    }

    int next(int link) {
        int slot = link - 1;
        return links[slot >>> CHUNK_SHIFT][slot & CHUNK_MASK];
    }

    /** Replaces a published entry's value (atomic 64-bit store, release). */
    void setValue(int link, long value) {
        int slot = link - 1;
        LONGS.setRelease(kv[slot >>> CHUNK_SHIFT], ((slot & CHUNK_MASK) << 1) + 1, value);
    }

    /** Sets an entry's chain link (release, so readers see the target initialised). */
    void setNext(int link, int nextLink) {
        int slot = link - 1;
        INTS.setRelease(links[slot >>> CHUNK_SHIFT], slot & CHUNK_MASK, nextLink);
    }

    /**
     * Returns an unlinked entry's slot to its chunk, and releases trailing empty chunks. The caller must already
     * have bumped the table's reuse sequence after unlinking it: this overwrites the link that stale readers may
     * still follow.
     */
    void free(int link) {
        int slot = link - 1;
        int c = slot >>> CHUNK_SHIFT;
        links[c][slot & CHUNK_MASK] = chunkFree[c];
        chunkFree[c] = link;
        chunkLive[c]--;
        live--;
        spaceBits[c >>> 6] |= 1L << c;
        if (c < lowestWithSpace) {
            lowestWithSpace = c;
        }
        while (chunkCount >= 2 && chunkLive[chunkCount - 1] == 0 && chunkLive[chunkCount - 2] == 0) {
            int top = --chunkCount;
            kv[top] = null;
            links[top] = null;
            chunkFree[top] = END;
            chunkFresh[top] = 0;
            spaceBits[top >>> 6] &= ~(1L << top);
            chunksReleased++;
        }
    }

    /** Slot capacity of the chunks held. */
    long capacity() {
        return (long) chunkCount * CHUNK;
    }

    long liveSlots() {
        return live;
    }

    long chunksReleased() {
        return chunksReleased;
    }

    long memoryBytes() {
        return Footprint.refArray(kv.length) + Footprint.refArray(links.length) + 3 * Footprint.intArray(kv.length)
                + Footprint.longArray(spaceBits.length)
                + chunkCount * (Footprint.longArray(2L * CHUNK) + Footprint.intArray(CHUNK));
    }
}
