package org.remaptarget.remap.table;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The bucket heads of one generation of the table: {@code length} (a power of two) int links, each the first entry
 * of a chain ({@link EntryPool#END} for empty, {@link #MOVED} once an old bucket has been rehashed into the next
 * generation).
 *
 * <p>Storage is split into fixed chunks of {@value #CHUNK} heads, allocated on first write, so creating the next
 * generation at a resize decision costs one small directory, not a zeroed array proportional to the table: a
 * missing chunk reads as all-empty. A generation of at most one chunk allocates it at once (bounded: 16 KiB) so
 * that lookups in small tables skip the directory.
 *
 * <p>Concurrency: written only by the table's writer (under its lock). Chunks are installed and heads published
 * with release stores; readers use acquire loads, so a reader that sees a head sees the entry it names fully
 * initialised. The directory itself is final and never replaced.
 */
final class BucketArray {

    /** An old-generation bucket whose chain has been rehashed: look in the next generation. */
    static final int MOVED = -1;

    static final int CHUNK_SHIFT = 12;
    static final int CHUNK = 1 << CHUNK_SHIFT;
    private static final int CHUNK_MASK = CHUNK - 1;

    private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);
    private static final VarHandle CHUNKS = MethodHandles.arrayElementVarHandle(int[][].class);

    final int length;
    final int mask;
    private final int[][] chunks;
    private int allocatedChunks;

    BucketArray(int length) {
        if (length < 1 || Integer.bitCount(length) != 1) {
            throw new IllegalArgumentException("bucket count must be a power of two, got " + length);
        }
        this.length = length;
        this.mask = length - 1;
        this.chunks = new int[(length + CHUNK - 1) >>> CHUNK_SHIFT][];
        if (length <= CHUNK) {
            chunks[0] = new int[length]; // small generations are one eager chunk: a lookup skips the directory
            allocatedChunks = 1;
        }
    }

    /** The only chunk of a generation of at most {@value #CHUNK} buckets, else null. */
    int[] singleChunk() {
        return length <= CHUNK ? chunks[0] : null;
    }

    /** Reader view over a cached {@link #singleChunk()}. */
    static int headAcquire(int[] singleChunk, int bucket) {
        return (int) INTS.getAcquire(singleChunk, bucket);
    }

    /** The chunk directory, for readers that cache it (see {@link #headAcquire(int[][], int)}). */
    int[][] directory() {
        return chunks;
    }

    /** Reader view: the head of {@code bucket} with acquire semantics (END if its chunk was never written). */
    int headAcquire(int bucket) {
        return headAcquire(chunks, bucket);
    }

    /** Reader view over a cached {@link #directory()}. */
    static int headAcquire(int[][] directory, int bucket) {
        int[] chunk = (int[]) CHUNKS.getAcquire(directory, bucket >>> CHUNK_SHIFT);
        return chunk == null ? EntryPool.END : (int) INTS.getAcquire(chunk, bucket & CHUNK_MASK);
    }

    /** Writer view (caller holds the table lock). */
    int head(int bucket) {
        int[] chunk = chunks[bucket >>> CHUNK_SHIFT];
        return chunk == null ? EntryPool.END : chunk[bucket & CHUNK_MASK];
    }

    /** Publishes {@code link} as the head of {@code bucket} (release store; caller holds the table lock). */
    void publish(int bucket, int link) {
        int c = bucket >>> CHUNK_SHIFT;
        int[] chunk = chunks[c];
        if (chunk == null) {
            chunk = new int[Math.min(CHUNK, length)];
            CHUNKS.setRelease(chunks, c, chunk);
            allocatedChunks++;
        }
        INTS.setRelease(chunk, bucket & CHUNK_MASK, link);
    }

    /** Bytes held by this generation's arrays (compressed references assumed). */
    long memoryBytes() {
        return Footprint.refArray(chunks.length) + (long) allocatedChunks * Footprint.intArray(Math.min(CHUNK, length));
    }
}
