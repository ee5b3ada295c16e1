package org.remaptarget.target.lun;

import java.util.concurrent.atomic.LongAdder;

/**
 * Command latency of one logical unit, from arrival at the SCSI core to completion, in fixed buckets (the
 * Prometheus histogram layout: cumulative counts per upper bound, a sum and a count). Lock-free: one
 * {@link LongAdder} per bucket, so recording from many I/O threads never contends on one word.
 */
public final class LatencyHistogram {
    /** Bucket upper bounds in microseconds; a last, implicit bucket takes everything slower. */
    private static final long[] BOUNDS_MICROS = {50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000,
        100_000, 250_000, 1_000_000, 5_000_000};

    private final LongAdder[] buckets = new LongAdder[BOUNDS_MICROS.length + 1];
    private final LongAdder sumNanos = new LongAdder();

    public LatencyHistogram() {
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    /** Records one command that took {@code nanos}. */
    public void record(long nanos) {
        long micros = Math.max(0, nanos) / 1_000;
        int i = 0;
        while (i < BOUNDS_MICROS.length && micros > BOUNDS_MICROS[i]) {
            i++;
        }
        buckets[i].increment();
        sumNanos.add(Math.max(0, nanos));
    }

    /** Upper bounds in seconds of the finite buckets. */
    public static double[] boundsSeconds() {
        double[] out = new double[BOUNDS_MICROS.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = BOUNDS_MICROS[i] / 1e6;
        }
        return out;
    }

    /** Cumulative counts: element i counts commands at or under bound i; the last element is the total. */
    public long[] cumulativeCounts() {
        long[] out = new long[buckets.length];
        long running = 0;
        for (int i = 0; i < buckets.length; i++) {
            running += buckets[i].sum();
            out[i] = running;
        }
        return out;
    }

    /** Sum of all recorded latencies in seconds. */
    public double sumSeconds() {
        return sumNanos.sum() / 1e9;
    }
}
