package org.remaptarget.remap.bench;

import java.util.SplittableRandom;

/** Deterministic key sets shared by the benchmarks: the i-th remapped LBA and a seeded probe sequence. */
final class BenchKeys {

    static final int PROBES = 1 << 16;

    private BenchKeys() {
    }

    /** Remapped LBAs are scattered over a 2^40-block device (an odd stride visits distinct blocks). */
    static long lba(long i) {
        return (i * 0x9E3779B1L) & ((1L << 40) - 1);
    }

    static long spare(long lba) {
        return lba ^ 0x5555L;
    }

    /** Probe keys: present keys when {@code entries > 0}, else arbitrary (all misses). */
    static long[] probes(int entries, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long[] probes = new long[PROBES];
        for (int i = 0; i < PROBES; i++) {
            probes[i] = entries > 0 ? lba(random.nextInt(entries)) : random.nextLong(1L << 40);
        }
        return probes;
    }
}
