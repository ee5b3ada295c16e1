package org.remaptarget.remap.device;

import java.util.concurrent.TimeUnit;

/**
 * A monotonic clock and a sleeper, injected wherever time matters (fault windows, latency, scrub rate) so tests
 * run on a manual clock and never on wall-clock time.
 */
public interface TimeSource {

    /** Monotonic nanoseconds (origin arbitrary). */
    long nanoTime();

    /** Sleeps (or, for a manual clock, advances time) by {@code nanos}. */
    void sleepNanos(long nanos) throws InterruptedException;

    /** The JVM's clock and {@link Thread#sleep}. */
    static TimeSource system() {
        return new TimeSource() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void sleepNanos(long nanos) throws InterruptedException {
                if (nanos > 0) {
                    TimeUnit.NANOSECONDS.sleep(nanos);
                }
            }
        };
    }
}
