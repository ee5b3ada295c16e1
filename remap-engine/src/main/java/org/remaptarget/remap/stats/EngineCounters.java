package org.remaptarget.remap.stats;

import java.util.concurrent.atomic.LongAdder;

/** The engine's monotonic counters: striped adders, cheap on the I/O path, read as a snapshot. */
public final class EngineCounters {
    public final LongAdder reads = new LongAdder();
    public final LongAdder writes = new LongAdder();
    public final LongAdder blocksRead = new LongAdder();
    public final LongAdder blocksWritten = new LongAdder();
    public final LongAdder flushes = new LongAdder();
    public final LongAdder discards = new LongAdder();
    public final LongAdder remaps = new LongAdder();
    public final LongAdder readErrors = new LongAdder();
    public final LongAdder writeErrors = new LongAdder();
    public final LongAdder retries = new LongAdder();
    public final LongAdder reallocationFailures = new LongAdder();
    public final LongAdder sparesRetired = new LongAdder();
    /** Extra read attempts (a subset of {@link #retries}). */
    public final LongAdder readRetries = new LongAdder();
    /** Extra write attempts (a subset of {@link #retries}). */
    public final LongAdder writeRetries = new LongAdder();
    /** Block reads that failed at first and succeeded on a retry. */
    public final LongAdder readsRecovered = new LongAdder();
    /** Write errors returned to the caller because automatic write reallocation was off. */
    public final LongAdder writeErrorsReported = new LongAdder();
}
