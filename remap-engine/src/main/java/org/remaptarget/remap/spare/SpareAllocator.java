package org.remaptarget.remap.spare;

import java.util.BitSet;
import java.util.function.LongConsumer;

/**
 * The spare-block allocator: a bitmap over the spare area with three states per spare, free, in use (holding a
 * remapped block's data) and retired (failed; never handed out again).
 *
 * <p>Invariants, checked on every call (a violation is a bug and throws {@link IllegalStateException}): a spare is
 * never handed out twice; a retired spare is never in use and never freed. The allocator is not persisted on its
 * own: its state is exactly "spares named by a mapping" plus "retired spares", both recorded by the metadata
 * layer with the table, and rebuilt here with {@link #markUsed} and {@link #markRetired} on open.
 *
 * <p>All methods are synchronized on the instance: allocation is on the (rare) error path only.
 */
public final class SpareAllocator {
    private final long capacity;
    private final BitSet used;
    private final BitSet retired;
    private long cursor;
    private long usedCount;
    private long retiredCount;

    public SpareAllocator(long capacity) {
        if (capacity < 0 || capacity > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("spare capacity out of range: " + capacity);
        }
        this.capacity = capacity;
        this.used = new BitSet((int) capacity);
        this.retired = new BitSet((int) capacity);
    }

    /** Total spares, whatever their state. */
    public long capacity() {
        return capacity;
    }

    /**
     * Hands out a free spare (next-fit from the last allocation, so freshly retired neighbours are not retried at
     * once) and marks it in use; returns -1 when none is free.
     */
    public synchronized long allocate() {
        if (usedCount + retiredCount >= capacity) {
            return -1;
        }
        int start = (int) cursor;
        int idx = nextFree(start);
        if (idx < 0 && start > 0) {
            idx = nextFree(0);
        }
        if (idx < 0) {
            return -1;
        }
        if (used.get(idx) || retired.get(idx)) {
            throw new IllegalStateException("spare " + idx + " would be allocated twice");
        }
        used.set(idx);
        usedCount++;
        cursor = idx + 1 >= capacity ? 0 : idx + 1;
        return idx;
    }

    private int nextFree(int from) {
        int i = from;
        while (i < capacity) {
            int u = used.nextClearBit(i);
            int r = retired.nextClearBit(i);
            if (u >= capacity || r >= capacity) {
                return -1;
            }
            if (u == r) {
                return u;
            }
            i = Math.max(u, r);
        }
        return -1;
    }

    /** Records that {@code spare} is in use (recovery). Throws if it already is, or is retired: a double allocation. */
    public synchronized void markUsed(long spare) {
        check(spare);
        if (used.get((int) spare) || retired.get((int) spare)) {
            throw new IllegalStateException("spare " + spare + " is already " + (used.get((int) spare) ? "in use"
                    : "retired") + ": double allocation");
        }
        used.set((int) spare);
        usedCount++;
    }

    /** Marks a specific free spare in use (to retire it after a scrub found it bad); false if not free. */
    public synchronized boolean reserve(long spare) {
        check(spare);
        if (used.get((int) spare) || retired.get((int) spare)) {
            return false;
        }
        used.set((int) spare);
        usedCount++;
        return true;
    }

    /** Returns an in-use spare to the free pool (an allocation whose mapping never became durable). */
    public synchronized void release(long spare) {
        check(spare);
        if (!used.get((int) spare)) {
            throw new IllegalStateException("spare " + spare + " released but not in use");
        }
        used.clear((int) spare);
        usedCount--;
    }

    /** Retires {@code spare} (failed): never allocated again. It may be in use or free. */
    public synchronized void markRetired(long spare) {
        check(spare);
        if (retired.get((int) spare)) {
            return;
        }
        if (used.get((int) spare)) {
            used.clear((int) spare);
            usedCount--;
        }
        retired.set((int) spare);
        retiredCount++;
    }

    public synchronized boolean isUsed(long spare) {
        check(spare);
        return used.get((int) spare);
    }

    public synchronized boolean isRetired(long spare) {
        check(spare);
        return retired.get((int) spare);
    }

    public synchronized long usedCount() {
        return usedCount;
    }

    public synchronized long retiredCount() {
        return retiredCount;
    }

    /** Spares still available for allocation. */
    public synchronized long freeCount() {
        return capacity - usedCount - retiredCount;
    }

    /** Calls {@code action} for every retired spare, in order. */
    public synchronized void forEachRetired(LongConsumer action) {
        for (int i = retired.nextSetBit(0); i >= 0; i = retired.nextSetBit(i + 1)) {
            action.accept(i);
        }
    }

    private void check(long spare) {
        if (spare < 0 || spare >= capacity) {
            throw new IllegalArgumentException("spare " + spare + " outside [0, " + capacity + ")");
        }
    }
}
