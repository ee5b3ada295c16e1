package org.remaptarget.remap.engine;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.remaptarget.remap.table.RemapTable;

/**
 * One multi-block request's working space on the range paths ({@link RangeReader}, {@link RangeWriter}): the
 * remapped blocks of the range as one table lookup found them (offset in the request, spare; ascending offsets),
 * and a buffer for gathered spare data. Used by one request at a time; requests take one from a {@link Pool} and
 * give it back.
 */
final class RangeScratch {
    int count;
    int[] at = new int[64];
    long[] spareOf = new long[64];
    /**
     * Largest gather buffer kept in direct memory (bigger ones are heap, and pay the JDK's bounce copy): a pool holds
     * at most {@code slots} × this of direct memory per device, 8 MiB with the engine's 32 slots.
     */
    static final int MAX_DIRECT_SPAN = 256 << 10;

    private final boolean direct;
    private ByteBuffer span;

    /** @param direct whether the gather buffer is direct memory (a device call then needs no bounce copy) */
    RangeScratch(boolean direct) {
        this.direct = direct;
    }

    /**
     * Looks up every block of {@code [lba, +n)}: records the remapped ones in ascending order and returns the number
     * of unmapped runs (maximal runs of blocks the lookup found not remapped).
     */
    int lookUp(RemapTable table, long lba, int n) {
        if (at.length < n) {
            at = new int[Math.max(n, at.length * 2)];
            spareOf = new long[at.length];
        }
        count = table.mappingsInRange(lba, n, at, spareOf, 0);
        int runs = 0;
        int next = 0; // first block after the previous remapped one
        for (int k = 0; k < count; k++) {
            runs += at[k] > next ? 1 : 0;
            next = at[k] + 1;
        }
        return runs + (n > next ? 1 : 0);
    }

    /** The entry after the group of adjacent remapped blocks that starts at entry {@code j} (offsets one apart). */
    int groupEnd(int j) {
        int g = j + 1;
        while (g < count && at[g] == at[g - 1] + 1) {
            g++;
        }
        return g;
    }

    /** A buffer of exactly {@code bytes} (capacity grown to a power of two, kept for the next request). */
    ByteBuffer span(int bytes) {
        if (span == null || span.capacity() < bytes) {
            int capacity = Integer.highestOneBit(bytes - 1) << 1;
            span = direct && capacity <= MAX_DIRECT_SPAN ? ByteBuffer.allocateDirect(capacity)
                    : ByteBuffer.allocate(capacity);
        }
        return span.clear().limit(bytes);
    }

    /**
     * Scratch spaces kept for reuse, taken and returned with CAS (no lock): at most {@code slots} requests in
     * flight at once allocate nothing. The first {@code slots} spaces made have direct gather buffers (up to
     * {@link #MAX_DIRECT_SPAN} each, kept for the device's life); a request finding every slot empty after that
     * makes a heap one of its own (cheap to make and to drop), and a returned space that finds every slot full is
     * dropped.
     */
    static final class Pool {
        private final AtomicReferenceArray<RangeScratch> slots;
        private final AtomicInteger directMade = new AtomicInteger();

        Pool(int slots) {
            this.slots = new AtomicReferenceArray<>(slots);
        }

        RangeScratch take() {
            for (int i = 0; i < slots.length(); i++) {
                RangeScratch s = slots.get(i);
                if (s != null && slots.compareAndSet(i, s, null)) {
                    return s;
                }
            }
            boolean direct = directMade.get() < slots.length() && directMade.incrementAndGet() <= slots.length();
            return new RangeScratch(direct);
        }

        void give(RangeScratch s) {
            for (int i = 0; i < slots.length(); i++) {
                if (slots.get(i) == null && slots.compareAndSet(i, null, s)) {
                    return;
                }
            }
        }
    }
}
