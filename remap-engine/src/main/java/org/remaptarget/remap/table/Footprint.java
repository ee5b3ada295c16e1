package org.remaptarget.remap.table;

/**
 * Array sizes on a 64-bit HotSpot JVM with compressed references (heaps under 32 GiB): a 16-byte header
 * (mark word, class pointer, length) plus the elements, rounded up to 8 bytes. Used for the honest
 * {@link IncrementalRemapTable#memoryBytes()} estimate; tests cross-check it against measured heap usage.
 */
final class Footprint {

    private static final long HEADER = 16;
    private static final long REFERENCE = 4;

    private Footprint() {
    }

    static long longArray(long length) {
        return align(HEADER + 8 * length);
    }

    static long intArray(long length) {
        return align(HEADER + 4 * length);
    }

    static long refArray(long length) {
        return align(HEADER + REFERENCE * length);
    }

    private static long align(long bytes) {
        return (bytes + 7) & ~7L;
    }
}
