package org.remaptarget.remap.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.util.HashMap;
import java.util.Locale;
import java.util.TreeMap;
import java.util.function.IntFunction;

import org.remaptarget.remap.table.IncrementalRemapTable;

/**
 * Bytes per entry, measured: heap used (after repeated GC) before and after building each structure with N
 * entries, divided by N; for the remap table also its own {@code memoryBytes()} estimate. Run with a heap large
 * enough for a 10^7-entry TreeMap (about 1 GB): {@code java -Xmx8g ... FootprintReport [N...]}.
 */
public final class FootprintReport {

    private FootprintReport() {
    }

    public static void main(String[] args) {
        int[] sizes = args.length == 0 ? new int[] {1_000_000, 10_000_000}
                : java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        System.out.printf(Locale.ROOT, "%-18s %12s %18s %22s%n", "structure", "entries", "measured B/entry",
                "memoryBytes() B/entry");
        for (int n : sizes) {
            IncrementalRemapTable[] keep = new IncrementalRemapTable[1];
            report("remap-table", n, count -> {
                IncrementalRemapTable t = new IncrementalRemapTable();
                for (int i = 0; i < count; i++) {
                    t.put(BenchKeys.lba(i), BenchKeys.spare(BenchKeys.lba(i)));
                }
                keep[0] = t;
                return t;
            }, () -> (double) keep[0].memoryBytes() / n);
            keep[0] = null;
            report("HashMap", n, count -> {
                HashMap<Long, Long> m = new HashMap<>();
                for (int i = 0; i < count; i++) {
                    m.put(BenchKeys.lba(i), BenchKeys.spare(BenchKeys.lba(i)));
                }
                return m;
            }, null);
            report("ConcurrentHashMap", n, count -> {
                java.util.concurrent.ConcurrentHashMap<Long, Long> m = new java.util.concurrent.ConcurrentHashMap<>();
                for (int i = 0; i < count; i++) {
                    m.put(BenchKeys.lba(i), BenchKeys.spare(BenchKeys.lba(i)));
                }
                return m;
            }, null);
            report("TreeMap", n, count -> {
                TreeMap<Long, Long> m = new TreeMap<>();
                for (int i = 0; i < count; i++) {
                    m.put(BenchKeys.lba(i), BenchKeys.spare(BenchKeys.lba(i)));
                }
                return m;
            }, null);
            report("open-addressing", n, count -> {
                LongLongOpenHashMap m = new LongLongOpenHashMap();
                for (int i = 0; i < count; i++) {
                    m.put(BenchKeys.lba(i), BenchKeys.spare(BenchKeys.lba(i)));
                }
                return m;
            }, null);
        }
    }

    private static void report(String name, int n, IntFunction<Object> build,
            java.util.function.DoubleSupplier estimate) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = settled(memory);
        Object structure = build.apply(n);
        long after = settled(memory);
        double est = estimate == null ? Double.NaN : estimate.getAsDouble();
        Reference.reachabilityFence(structure);
        System.out.printf(Locale.ROOT, "%-18s %12d %18.1f %22s%n", name, n, (double) (after - before) / n,
                estimate == null ? "-" : String.format(Locale.ROOT, "%.1f", est));
    }

    private static long settled(MemoryMXBean memory) {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
