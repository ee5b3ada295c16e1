package org.remaptarget.remap.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A noise-resistant companion to {@link EngineReadBenchmark} for shared, loaded hosts: sets up the raw, engine and
 * engine-1M cases side by side and alternates short time slices between them, so slow drifts in background load
 * hit all three alike; reports the median per-round throughput ratio to raw. Run by {@code scripts/bench-engine}
 * after JMH. Arguments: rounds (default 40), slice milliseconds (default 150), table (default placeholder).
 */
public final class InterleavedReadOverhead {
    private InterleavedReadOverhead() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        long sliceNanos = (args.length > 1 ? Long.parseLong(args[1]) : 150) * 1_000_000L;
        String table = args.length > 2 ? args[2] : "placeholder";
        String[] modes = {"raw", "engine", "engine-1M", "raw-1M-spares", "raw-1TiB", "engine-1M-1TiB"};
        EngineReadBenchmark[] cases = new EngineReadBenchmark[modes.length];
        for (int i = 0; i < modes.length; i++) {
            cases[i] = new EngineReadBenchmark();
            cases[i].mode = modes[i];
            cases[i].table = table;
            cases[i].setUp();
        }
        try {
            for (int w = 0; w < 5; w++) { // warm-up: let the JIT settle on all three paths
                for (EngineReadBenchmark c : cases) {
                    run(c, sliceNanos);
                }
            }
            List<double[]> ratios = new ArrayList<>();
            double[] sums = new double[modes.length];
            for (int r = 0; r < rounds; r++) {
                double[] opsPerSec = new double[modes.length];
                for (int k = 0; k < modes.length; k++) {
                    int i = (k + r) % modes.length; // rotate the order every round
                    opsPerSec[i] = run(cases[i], sliceNanos);
                    sums[i] += opsPerSec[i];
                }
                ratios.add(new double[] {opsPerSec[1] / opsPerSec[0], opsPerSec[2] / opsPerSec[0],
                    opsPerSec[2] / opsPerSec[3], opsPerSec[3] / opsPerSec[0], opsPerSec[5] / opsPerSec[4]});
            }
            System.out.printf("interleaved 4 KiB random reads, %d rounds of %d ms slices, table=%s%n", rounds,
                    sliceNanos / 1_000_000, table);
            for (int i = 0; i < modes.length; i++) {
                System.out.printf("  %-10s mean %,12.0f ops/s%n", modes[i], sums[i] / rounds);
            }
            String[] labels = {"engine / raw", "engine-1M / raw", "engine-1M / raw-1M-spares",
                "raw-1M-spares / raw", "engine-1M-1TiB / raw-1TiB"};
            for (int m = 0; m < labels.length; m++) {
                double[] v = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    v[r] = ratios.get(r)[m];
                }
                Arrays.sort(v);
                System.out.printf("  %-26s median %.3f (quartiles %.3f .. %.3f) => overhead %.1f%%%n",
                        labels[m], v[rounds / 2], v[rounds / 4], v[3 * rounds / 4], (1 / v[rounds / 2] - 1) * 100);
            }
        } finally {
            for (EngineReadBenchmark c : cases) {
                c.tearDown();
            }
        }
    }

    private static double run(EngineReadBenchmark c, long sliceNanos) throws Exception {
        long start = System.nanoTime();
        long end = start + sliceNanos;
        long ops = 0;
        long now;
        do {
            for (int i = 0; i < 256; i++) {
                c.randomRead4k();
            }
            ops += 256;
            now = System.nanoTime();
        } while (now < end);
        return ops * 1e9 / (now - start);
    }
}
