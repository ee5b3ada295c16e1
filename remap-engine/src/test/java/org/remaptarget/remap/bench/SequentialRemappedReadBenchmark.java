package org.remaptarget.remap.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.remaptarget.remap.device.BlockDevice;
import org.remaptarget.remap.device.FileBlockDevice;
import org.remaptarget.remap.engine.FormatOptions;
import org.remaptarget.remap.engine.OpenOptions;
import org.remaptarget.remap.engine.RemapVolume;
import org.remaptarget.remap.meta.JournalRecord;
import org.remaptarget.remap.meta.RemapState;
import org.remaptarget.remap.table.IncrementalRemapTable;

/**
 * 1 MiB sequential reads (one thread, wrapping around a 256 MiB data area in the page cache, 512-byte blocks) through
 * the remapping engine with every 20th block remapped (spares allocated in ascending LBA order, as the iSCSI
 * benchmark's pre-populated LUN has them), against the engine with no remaps and the raw {@link FileBlockDevice}
 * reading the same data-area bytes. One op is one MiB, so ops/s is MiB/s; the ratio engine-1in20 / raw is the cost
 * of reading through the primary and laying the gathered spares over it. {@link #main} runs the three cases in
 * alternating short slices (for loaded hosts) and prints the median ratios to raw.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class SequentialRemappedReadBenchmark {
    private static final int BS = 512;
    private static final int READ = 1 << 20;
    private static final int EVERY = 20;

    /** raw: the file; engine: no remaps; engine-1in20: every 20th block remapped. */
    @Param({"raw", "engine", "engine-1in20"})
    public String mode;

    /** Size of the data area (1024: the iSCSI benchmark's LUN, 10^5 remapped blocks with one in 20). */
    @Param({"256"})
    public int dataMiB;

    /** read, or write: the same access through the write path (write-through, gathered spare writes). */
    @Param({"read"})
    public String op;

    private long dataBlocks;
    private boolean writes;

    private Path dir;
    private RemapVolume volume;
    private FileBlockDevice raw;
    private BlockDevice target;
    private long base;
    private long next;
    private final ByteBuffer buf = ByteBuffer.allocateDirect(READ + 4096).alignedSlice(4096); // as a socket buffer

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dataBlocks = ((long) dataMiB << 20) / BS;
        writes = op.equals("write");
        dir = Files.createTempDirectory("remap-seq-bench");
        Path file = dir.resolve("lun.img");
        volume = RemapVolume.format(file, FormatOptions.of(BS, dataBlocks, dataBlocks / 16),
                OpenOptions.defaults(IncrementalRemapTable::new).withName("bench"));
        ByteBuffer chunk = ByteBuffer.allocate(READ);
        for (long lba = 0; lba < dataBlocks; lba += READ / BS) {
            new SplittableRandom(lba).nextBytes(chunk.array());
            chunk.clear();
            volume.device().write(lba, chunk, false);
        }
        if (mode.equals("engine-1in20")) {
            RemapState st = volume.metadata().state();
            long spare = 0;
            for (long lba = 0; lba < dataBlocks; lba += EVERY) {
                st.apply(JournalRecord.map(lba, spare++, 0), true);
            }
            ByteBuffer one = ByteBuffer.allocate(BS);
            for (long lba = 0; lba < dataBlocks; lba += EVERY) {
                new SplittableRandom(~lba).nextBytes(one.array());
                one.clear();
                volume.device().write(lba, one, false); // lands on the spare
            }
        }
        volume.device().flush();
        if (mode.equals("raw")) {
            raw = FileBlockDevice.open(file, BS, false);
            target = raw;
            base = volume.backingLbaOfData(0);
        } else {
            target = volume.device();
        }
    }

    @Benchmark
    public ByteBuffer sequentialRead1m() throws IOException {
        buf.clear();
        if (writes) {
            target.write(base + next, buf, false);
        } else {
            target.read(base + next, buf);
        }
        next = (next + READ / BS) % dataBlocks;
        return buf;
    }

    /**
     * Interleaved run: arguments rounds (default 30), slice milliseconds (default 200), data MiB (default 256) and
     * read or write (default read).
     */
    public static void main(String[] args) throws IOException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        long slice = (args.length > 1 ? Long.parseLong(args[1]) : 200) * 1_000_000L;
        int dataMiB = args.length > 2 ? Integer.parseInt(args[2]) : 256;
        String op = args.length > 3 ? args[3] : "read";
        String[] modes = {"raw", "engine", "engine-1in20"};
        SequentialRemappedReadBenchmark[] cases = new SequentialRemappedReadBenchmark[modes.length];
        for (int i = 0; i < modes.length; i++) {
            cases[i] = new SequentialRemappedReadBenchmark();
            cases[i].mode = modes[i];
            cases[i].dataMiB = dataMiB;
            cases[i].op = op;
            cases[i].setUp();
        }
        try {
            double[][] mibs = new double[modes.length][rounds];
            for (int r = -3; r < rounds; r++) { // three warm-up rounds
                for (int k = 0; k < modes.length; k++) {
                    int i = (k + Math.max(r, 0)) % modes.length; // rotate the order every round
                    long start = System.nanoTime();
                    long ops = 0;
                    while (System.nanoTime() - start < slice) {
                        cases[i].sequentialRead1m();
                        ops++;
                    }
                    if (r >= 0) {
                        mibs[i][r] = ops * 1e9 / (System.nanoTime() - start);
                    }
                }
            }
            System.out.printf("interleaved 1 MiB sequential %ss, %d MiB data area, 512-byte blocks, %d rounds of %d"
                    + " ms%n", op, dataMiB, rounds, slice / 1_000_000);
            for (int i = 0; i < modes.length; i++) {
                double[] ratio = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    ratio[r] = mibs[i][r] / mibs[0][r];
                }
                java.util.Arrays.sort(ratio);
                System.out.printf("  %-13s mean %7.0f MiB/s, median ratio to raw %.3f (quartiles %.3f .. %.3f)%n",
                        modes[i], java.util.Arrays.stream(mibs[i]).average().orElse(0), ratio[rounds / 2],
                        ratio[rounds / 4], ratio[3 * rounds / 4]);
            }
        } finally {
            for (SequentialRemappedReadBenchmark c : cases) {
                c.tearDown();
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        BenchFiles.closeAndDelete(raw, volume, dir);
    }
}
