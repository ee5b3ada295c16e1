package org.remaptarget.remap.bench;

import java.util.HashMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

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

/**
 * Lookup latency of the remap table against java.util.HashMap&lt;Long,Long&gt; (boxing per lookup, as a caller
 * would), ConcurrentHashMap (the fair comparison: the only other one safe to read during writes), TreeMap and a
 * primitive open-addressing map, at 0 to 10^7 entries. Probes hit present keys in a seeded
 * random order (all misses for the empty table), so large tables pay their cache misses.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx10g"})
public class LookupBenchmark {

    /** One lookup implementation; each parameter combination runs in its own fork, so the call stays monomorphic. */
    interface Lookup {
        long get(long lba);
    }

    @Param({"0", "1000", "1000000", "10000000"})
    public int entries;

    @Param({"remap-table", "HashMap", "ConcurrentHashMap", "TreeMap", "open-addressing"})
    public String impl;

    private Lookup lookup;
    private long[] probes;
    private int next;

    @Setup(Level.Trial)
    public void fill() {
        probes = BenchKeys.probes(entries, 1234);
        switch (impl) {
            case "remap-table" -> {
                IncrementalRemapTable table = new IncrementalRemapTable();
                for (int i = 0; i < entries; i++) {
                    table.put(BenchKeys.lba(i), BenchKeys.spare(BenchKeys.lba(i)));
                }
                lookup = table::get;
            }
            case "HashMap" -> {
                HashMap<Long, Long> map = new HashMap<>();
                for (int i = 0; i < entries; i++) {
                    map.put(BenchKeys.lba(i), BenchKeys.spare(BenchKeys.lba(i)));
                }
                lookup = lba -> {
                    Long v = map.get(lba);
                    return v == null ? -1 : v;
                };
            }
            case "ConcurrentHashMap" -> {
                ConcurrentHashMap<Long, Long> map = new ConcurrentHashMap<>();
                for (int i = 0; i < entries; i++) {
                    map.put(BenchKeys.lba(i), BenchKeys.spare(BenchKeys.lba(i)));
                }
                lookup = lba -> {
                    Long v = map.get(lba);
                    return v == null ? -1 : v;
                };
            }
            case "TreeMap" -> {
                TreeMap<Long, Long> map = new TreeMap<>();
                for (int i = 0; i < entries; i++) {
                    map.put(BenchKeys.lba(i), BenchKeys.spare(BenchKeys.lba(i)));
                }
                lookup = lba -> {
                    Long v = map.get(lba);
                    return v == null ? -1 : v;
                };
            }
            case "open-addressing" -> {
                LongLongOpenHashMap map = new LongLongOpenHashMap();
                for (int i = 0; i < entries; i++) {
                    map.put(BenchKeys.lba(i), BenchKeys.spare(BenchKeys.lba(i)));
                }
                lookup = map::get;
            }
            default -> throw new IllegalArgumentException(impl);
        }
        for (long probe : probes) { // sanity: a benchmark of a broken map is worthless
            long expected = entries > 0 ? BenchKeys.spare(probe) : -1;
            if (lookup.get(probe) != expected) {
                throw new IllegalStateException(impl + " lost " + probe);
            }
        }
    }

    @Benchmark
    public long get() {
        long lba = probes[next];
        next = (next + 1) & (BenchKeys.PROBES - 1);
        return lookup.get(lba);
    }
}
