package org.remaptarget.remap.table;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Primitive storage for the table's entries: no object per entry. A slot holds a key and a value (adjacent longs
 * in a {@code long[]} chunk, so one cache line serves a probe) and a chain link (an {@code int[]} chunk):
 * 20 bytes per slot. Links are slot + 1 so that {@link #END} (0) is the zero-initialised state.
 *
 * <p>Chunks hold {@value #CHUNK} slots and are never moved or released: growing the pool adds a chunk and, every
 * doubling, copies only the small chunk directory, so no allocation costs time proportional to the table. Freed
 * slots go on a free list threaded through their link field and are reused first.
 *
 * <p>Concurrency: all mutators are called by the table's writer under its lock. Readers call only
 * {@link #kvChunk}/{@link #linkChunk} plus the static accessors and must tolerate stale paths: a reader that
 * followed a link out of a slot which has since been freed can see any value, including a slot whose chunk it
 * cannot find yet; those methods then return null and the reader restarts (the table's sequence check makes
 * every such path restart anyway). The invariant the table relies on: a slot's fields are only overwritten
 * after it was unlinked and the table's reuse sequence was bumped ({@link #free} is called after the bump).
 */
final class EntryPool {

    /** The end-of-chain link (and the empty free list). */
    static final int END = 0;

    static final int CHUNK_SHIFT = 10;
    static final int CHUNK = 1 << CHUNK_SHIFT;
    private static final int CHUNK_MASK = CHUNK - 1;
    private static final int MAX_SLOTS = Integer.MAX_VALUE - 1;

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);

    /** Chunk directories; replaced (never mutated in place except to fill null slots) when they grow. */
    private long[][] kv = new long[4][];
    private int[][] links = new int[4][];
    private int chunkCount;
    private int highWater;
    private int freeHead = END;
    private int freeCount;

    // ---- reader side (lock-free; may run on stale paths) ----

    /** The key/value chunk holding {@code slot}, or null if this reader cannot see it (restart). */
    long[] kvChunk(int slot) {
        long[][] dir = kv;
        int c = slot >>> CHUNK_SHIFT;
        return c < dir.length ? dir[c] : null;
    }

    /** The link chunk holding {@code slot}, or null if this reader cannot see it (restart). */
    int[] linkChunk(int slot) {
        int[][] dir = links;
        int c = slot >>> CHUNK_SHIFT;
        return c < dir.length ? dir[c] : null;
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
     * Takes a slot (free list first) and fills it; the entry is not reachable until the caller publishes its link
     * with a release store.
     *
     * @return the new entry's link (slot + 1)
     */
    int allocate(long key, long value, int nextLink) {
        int slot;
        if (freeHead != END) {
            slot = freeHead - 1;
            freeHead = links[slot >>> CHUNK_SHIFT][slot & CHUNK_MASK];
            freeCount--;
        } else {
            if (highWater == MAX_SLOTS) {
                throw new IllegalStateException("remap table entry pool exhausted at " + MAX_SLOTS + " slots");
            }
            slot = highWater;
            if ((slot >>> CHUNK_SHIFT) == chunkCount) {
                addChunk();
            }
            highWater++;
        }
        long[] kvc = kv[slot >>> CHUNK_SHIFT];
        int off = (slot & CHUNK_MASK) << 1;
        kvc[off] = key;
        kvc[off + 1] = value;
        links[slot >>> CHUNK_SHIFT][slot & CHUNK_MASK] = nextLink;
        return slot + 1;
    }

    private void addChunk() {
        if (chunkCount == kv.length) {
            int length = kv.length * 2;
            long[][] kvDir = new long[length][];
            int[][] linkDir = new int[length][];
            System.arraycopy(kv, 0, kvDir, 0, chunkCount);
            System.arraycopy(links, 0, linkDir, 0, chunkCount);
            kvDir[chunkCount] = new long[2 * CHUNK];
            linkDir[chunkCount] = new int[CHUNK];
            kv = kvDir;
            links = linkDir;
        } else {
            kv[chunkCount] = new long[2 * CHUNK];
            links[chunkCount] = new int[CHUNK];
        }
        chunkCount++;
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
     * Returns an unlinked entry's slot to the free list. The caller must already have bumped the table's reuse
     * sequence after unlinking it: this overwrites the link that stale readers may still follow.
     */
    void free(int link) {
        int slot = link - 1;
        links[slot >>> CHUNK_SHIFT][slot & CHUNK_MASK] = freeHead;
        freeHead = link;
        freeCount++;
    }

    /** Slots holding entries or waiting on the free list. */
    long slotsInUse() {
        return highWater;
    }

    long freeSlots() {
        return freeCount;
    }

    long memoryBytes() {
        return Footprint.refArray(kv.length) + Footprint.refArray(links.length)
                + chunkCount * (Footprint.longArray(2L * CHUNK) + Footprint.intArray(CHUNK));
    }
}
