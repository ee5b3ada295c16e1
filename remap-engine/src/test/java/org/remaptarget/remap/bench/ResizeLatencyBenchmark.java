package org.remaptarget.remap.bench;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.remaptarget.remap.table.IncrementalRemapTable;
import org.remaptarget.remap.table.TablePolicy;

/**
 * The worst single insert across a grow, incremental rehash against stop-the-world. Each invocation starts from a
 * table one entry short of the grow point of {@link #buckets} buckets (built in untimed setup) and inserts a window
 * long enough for the incremental rehash to finish, timing every insert. The primary score is the whole window
 * (plus sorting its latencies); the counters are per window: the slowest single insert (wall clock, and thread
 * CPU time, which leaves out preemption and GC pauses that a shared machine adds to any insert), the 99.99th
 * percentile and the inserts slower than 10 us. JMH sums EVENTS counters over iterations, so read the per-iteration lines (the
 * bench-table script does).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "-Xms4g"})
public class ResizeLatencyBenchmark {

    @Param({"incremental", "stop-the-world"})
    public String rehash;

    @Param({"1048576"})
    public int buckets;

    private IncrementalRemapTable table;
    private long filled;
    private int window;
    private long[] latencies;
    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

    /** Per-iteration result counters. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Worst {
        public long worstInsertNs;
        public long worstInsertCpuNs;
        public long p9999InsertNs;
        public long insertsOver10us;

        @Setup(Level.Iteration)
        public void reset() {
            worstInsertNs = 0;
            worstInsertCpuNs = 0;
            p9999InsertNs = 0;
            insertsOver10us = 0;
        }
    }

    @Setup(Level.Invocation)
    public void fillToJustBelowTheGrowPoint() {
        TablePolicy policy = TablePolicy.defaults().withIncrementalRehash(rehash.equals("incremental"));
        table = new IncrementalRemapTable(policy);
        // grow point: smallest count with count*100/buckets > 150
        long growAt = (151L * buckets + 99) / 100;
        // the table reaches `buckets` buckets on the way; walk to one short of its grow point
        for (filled = 0; filled < growAt - 1; filled++) {
            table.put(BenchKeys.lba(filled), filled);
        }
        if (table.bucketCount() != buckets || table.isResizing()) {
            // finish any rehash left from the previous grow with updates (no count change)
            for (long i = 0; i < filled && table.isResizing(); i++) {
                table.put(BenchKeys.lba(i), i);
            }
        }
        if (table.bucketCount() != buckets || table.isResizing()) {
            throw new IllegalStateException("setup did not reach a stable " + buckets + "-bucket table");
        }
        window = buckets / 2 + buckets / 8; // incremental rehash needs ~buckets/2 mutations (quota 2)
        if (latencies == null || latencies.length < window) {
            latencies = new long[window];
        }
        System.gc();
    }

    @Benchmark
    public long insertAcrossResize(Worst worst) {
        long[] latencies = this.latencies;
        long max = 0;
        long maxCpu = 0;
        long slow = 0;
        long start = filled;
        for (int k = 0; k < window; k++) {
            long i = start + k;
            long c0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            table.put(BenchKeys.lba(i), i);
            long t = System.nanoTime() - t0;
            long cpu = THREADS.getCurrentThreadCpuTime() - c0;
            if (cpu > maxCpu) {
                maxCpu = cpu;
            }
            latencies[k] = t;
            if (t > max) {
                max = t;
            }
            if (t > 10_000) {
                slow++;
            }
        }
        java.util.Arrays.sort(latencies, 0, window);
        worst.p9999InsertNs = latencies[(int) (window * 0.9999)];
        if (table.isResizing() || table.bucketCount() != 2L * buckets) {
            throw new IllegalStateException("window did not cover the whole rehash");
        }
        worst.worstInsertNs = max;
        worst.worstInsertCpuNs = maxCpu;
        worst.insertsOver10us = slow;
        return table.size();
    }
}
