package org.remaptarget.remap.table;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One bit per region of {@code 2^shift} blocks over {@code [0, blocks)}, with the shift grown (from a minimum) until
 * the map holds at most {@code 2^maxRegionsLog2} bits, so its size is bounded whatever the volume. Bits are only
 * ever set, never cleared.
 *
 * <p>Lock-free: setting is a CAS per word that skips words already holding the bits (no write to a shared line
 * that would not change it); reads are volatile loads. The callers give LBAs inside {@code [0, blocks)}.
 */
public final class RegionBitmap {
    private final int shift;
    private final AtomicLongArray words;

    /**
     * @param blocks         the blocks covered (at least 1 is assumed)
     * @param minShift       the smallest region: {@code 2^minShift} blocks
     * @param maxRegionsLog2 at most {@code 2^maxRegionsLog2} regions
     */
    public RegionBitmap(long blocks, int minShift, int maxRegionsLog2) {
        long b = Math.max(1, blocks);
        this.shift = shiftFor(b, minShift, maxRegionsLog2);
        long regions = ((b - 1) >>> shift) + 1;
        this.words = new AtomicLongArray((int) ((regions + 63) >>> 6));
    }

    /** The smallest shift of at least {@code minShift} that cuts {@code blocks} into at most 2^maxRegionsLog2 regions. */
    public static int shiftFor(long blocks, int minShift, int maxRegionsLog2) {
        int s = minShift;
        while (((Math.max(1, blocks) - 1) >>> s) >= (1L << maxRegionsLog2)) {
            s++;
        }
        return s;
    }

    /** log2 of the blocks per region. */
    public int shift() {
        return shift;
    }

    /** Whether the region of {@code lba} is set. */
    public boolean get(long lba) {
        long r = lba >>> shift;
        return (words.get((int) (r >>> 6)) & (1L << (r & 63))) != 0;
    }

    /** Sets the region of {@code lba}. */
    public void set(long lba) {
        set(lba, 1);
    }

    /** Sets every region that {@code [lba, lba + n)} touches ({@code n >= 1}). */
    public void set(long lba, long n) {
        long r0 = lba >>> shift;
        long r1 = (lba + n - 1) >>> shift;
        for (long w = r0 >>> 6; w <= r1 >>> 6; w++) {
            long mask = wordMask(w, r0, r1);
            long cur = words.get((int) w);
            while ((cur & mask) != mask && !words.compareAndSet((int) w, cur, cur | mask)) {
                cur = words.get((int) w);
            }
        }
    }

    /** Whether any region that {@code [lba, lba + n)} touches is set ({@code n >= 1}). */
    public boolean any(long lba, long n) {
        long r0 = lba >>> shift;
        long r1 = (lba + n - 1) >>> shift;
        for (long w = r0 >>> 6; w <= r1 >>> 6; w++) {
            if ((words.get((int) w) & wordMask(w, r0, r1)) != 0) {
                return true;
            }
        }
        return false;
    }

    /** The first set region in {@code [r, last]}, skipping clear words 64 regions at a time; -1 if none. */
    public long nextSet(long r, long last) {
        while (r <= last) {
            int w = (int) (r >>> 6);
            long word = words.get(w) & (-1L << (r & 63));
            if (word != 0) {
                long found = ((long) w << 6) + Long.numberOfTrailingZeros(word);
                return found <= last ? found : -1;
            }
            r = ((long) w + 1) << 6;
        }
        return -1;
    }

    /** The bits of word {@code w} that lie in regions {@code [r0, r1]}. */
    private static long wordMask(long w, long r0, long r1) {
        long lo = Math.max(r0, w << 6) & 63;
        long hi = Math.min(r1, (w << 6) + 63) & 63;
        return (-1L << lo) & (-1L >>> (63 - hi));
    }
}
