package org.remaptarget.target.session;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Bounds the memory held by gathered write data across every session of a server. A command whose data must be
 * solicited with R2Ts reserves its Expected Data Transfer Length first; when the budget is spent its R2Ts wait until
 * another command releases memory (flow control instead of an out-of-memory error). Data the initiator may send
 * unsolicited (immediate data, FirstBurstLength) cannot be refused, so it is charged without waiting. A reservation
 * larger than the whole budget is granted when nothing else is held, so no command starves.
 *
 * <p>Thread-safe (monitor on {@code this}); waiters are run outside the monitor by the releasing thread.
 */
public final class WriteBudget {
    private final long capacity;
    private long used;
    private final ArrayDeque<Runnable> waiters = new ArrayDeque<>();

    public WriteBudget(long capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        this.capacity = capacity;
    }

    /** Reserves {@code bytes} now, or registers {@code onAvailable} to be run after a later release. */
    public synchronized boolean acquireOrWait(long bytes, Runnable onAvailable) {
        if (used == 0 || used + bytes <= capacity) {
            used += bytes;
            return true;
        }
        waiters.add(onAvailable);
        return false;
    }

    /** Charges bytes that could not be refused. */
    public synchronized void charge(long bytes) {
        used += bytes;
    }

    /** Returns bytes and runs every waiter (each retries its reservation). */
    public void release(long bytes) {
        List<Runnable> run;
        synchronized (this) {
            used -= bytes;
            if (waiters.isEmpty()) {
                return;
            }
            run = new ArrayList<>(waiters);
            waiters.clear();
        }
        for (Runnable r : run) {
            r.run();
        }
    }

    public synchronized long used() {
        return used;
    }

    public synchronized int waiting() {
        return waiters.size();
    }
}
