package org.remaptarget.remap.device;

import java.util.concurrent.atomic.AtomicLong;

/** A clock that only moves when told to; sleeping advances it instantly. For deterministic tests and drills. */
public final class ManualTimeSource implements TimeSource {
    private final AtomicLong now = new AtomicLong();

    @Override
    public long nanoTime() {
        return now.get();
    }

    @Override
    public void sleepNanos(long nanos) {
        if (nanos > 0) {
            now.addAndGet(nanos);
        }
    }

    /** Moves the clock forward by {@code nanos}. */
    public void advance(long nanos) {
        sleepNanos(nanos);
    }
}
