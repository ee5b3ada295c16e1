package org.remaptarget.target.lun;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A striped lock table over the LBA space of one logical unit: what makes COMPARE AND WRITE, ORWRITE and WRITE
 * ATOMIC atomic against every other write to the same blocks, from any session (SBC-3 §5.2, SBC-4 §4.29).
 *
 * <p>The LBA space is cut into regions of {@code 2^regionShift} blocks; region {@code r} is guarded by stripe
 * {@code r mod stripes}. A command locks the stripes of every region its range touches, in ascending stripe order
 * (so two commands can never deadlock), and releases them when the returned {@link Held} is closed. A range that
 * touches as many regions as there are stripes takes all of them. A plain write of up to one region takes one or two
 * uncontended locks. Locks are reentrant, never held across a task's completion, and never taken by reads.
 */
public final class RangeLocks {
    private final ReentrantLock[] stripes;
    private final int regionShift;

    /** A held set of stripes; {@link #close()} releases them (once). */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * @param stripes     number of locks (a power of two, at least 1)
     * @param regionShift log2 of the blocks per region
     */
    public RangeLocks(int stripes, int regionShift) {
        if (stripes < 1 || Integer.bitCount(stripes) != 1 || regionShift < 0 || regionShift > 40) {
            throw new IllegalArgumentException("stripes " + stripes + ", region shift " + regionShift);
        }
        this.stripes = new ReentrantLock[stripes];
        for (int i = 0; i < stripes; i++) {
            this.stripes[i] = new ReentrantLock();
        }
        this.regionShift = regionShift;
    }

    /** 1024 stripes over 128-block regions. */
    public static RangeLocks defaults() {
        return new RangeLocks(1024, 7);
    }

    /** Locks every stripe guarding {@code [lba, lba+blocks)} (at least the stripe of {@code lba}). */
    public Held lock(long lba, long blocks) {
        long first = lba >>> regionShift;
        long last = (lba + Math.max(1, blocks) - 1) >>> regionShift;
        int n = stripes.length;
        if (last - first + 1 >= n) {
            for (ReentrantLock l : stripes) {
                l.lock();
            }
            return () -> {
                for (int i = n - 1; i >= 0; i--) {
                    stripes[i].unlock();
                }
            };
        }
        int count = (int) (last - first + 1);
        int[] idx = new int[count];
        for (int i = 0; i < count; i++) {
            idx[i] = (int) ((first + i) & (n - 1));
        }
        java.util.Arrays.sort(idx);
        int distinct = 0;
        for (int i = 0; i < count; i++) {
            if (i == 0 || idx[i] != idx[i - 1]) {
                idx[distinct++] = idx[i];
            }
        }
        for (int i = 0; i < distinct; i++) {
            stripes[idx[i]].lock();
        }
        int held = distinct;
        return () -> {
            for (int i = held - 1; i >= 0; i--) {
                stripes[idx[i]].unlock();
            }
        };
    }
}
