package org.remaptarget.remap.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
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
import org.remaptarget.remap.engine.TestRemapTable;
import org.remaptarget.remap.meta.JournalRecord;
import org.remaptarget.remap.meta.RemapState;
import org.remaptarget.remap.table.RemapTable;

/**
 * 4 KiB random reads through the remapping engine over a file, with no remaps and with 10^6 remaps, against the raw
 * {@link FileBlockDevice}. Reads cover a 256 MiB working set (written at set-up so it sits in the page cache); the
 * 10^6 remapped LBAs are spread over an 8 GiB data area, so about half of the working set is served from spares and
 * every lookup goes to a table of 10^6 entries. Two raw baselines: {@code raw} reads the working set's LBAs in the
 * data area; {@code raw-1M-spares} reads, with the same 10^6 remaps in place, the blocks that hold each LBA's data
 * (the spare for a remapped LBA), so engine-1M against it is the engine's own cost and raw-1M-spares against raw is
 * the cost of the data lying in two areas of the file. Every case replays the same precomputed LBA sequence. The
 * "-1TiB" pair repeats the comparison on a 1 TiB sparse data area with the 10^6 remapped LBAs spread uniformly over
 * it (0.4% of the blocks, as a large disk with many grown defects has), reading the same 256 MiB working set.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
public class EngineReadBenchmark {
    private static final int BS = 4096;
    private static final long DATA_BLOCKS = 1L << 21;
    /** The 1 TiB geometry's data area: 10^6 remaps are 0.4% of its blocks, as on a large disk with many defects. */
    private static final long LARGE_DATA_BLOCKS = 1L << 28;
    private static final long SPARE_BLOCKS = 1_100_000;
    private static final int WORKING_SET = 1 << 16;
    private static final int REMAPS = 1_000_000;

    /**
     * raw: FileBlockDevice; engine: no remaps; engine-1M: 10^6 remaps; raw-1M-spares: see the class note; the
     * "-1TiB" cases: the same over a 1 TiB data area with the 10^6 remaps spread over all of it.
     */
    @Param({"raw", "engine", "engine-1M", "raw-1M-spares", "raw-1TiB", "engine-1M-1TiB"})
    public String mode;

    /**
     * The remap table: "placeholder" (a ConcurrentHashMap, test scope) or "incremental" (the production table,
     * {@code org.remaptarget.remap.table.IncrementalRemapTable}, once merged).
     */
    @Param({"incremental"})
    public String table;

    private Path dir;
    private RemapVolume volume;
    private FileBlockDevice raw;
    private BlockDevice target;
    private final ByteBuffer buf = ByteBuffer.allocateDirect(BS);
    private static final int SEQUENCE = 1 << 20;
    /** The device LBAs to read, in order (the same random working-set LBAs for every case). */
    private long[] sequence;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("remap-bench");
        Path file = dir.resolve("lun.img");
        // -Dbench.spareCacheBytes=0 measures the engine without its spare cache
        OpenOptions o = OpenOptions.defaults(tables()).withName("bench").withSpareCacheBytes(
                Long.getLong("bench.spareCacheBytes", OpenOptions.DEFAULT_SPARE_CACHE_BYTES));
        boolean large = mode.endsWith("-1TiB");
        long dataBlocks = large ? LARGE_DATA_BLOCKS : DATA_BLOCKS;
        volume = RemapVolume.format(file, FormatOptions.of(BS, dataBlocks, SPARE_BLOCKS), o);
        ByteBuffer chunk = ByteBuffer.allocate(256 * BS);
        for (long lba = 0; lba < WORKING_SET; lba += 256) {
            new SplittableRandom(lba).nextBytes(chunk.array());
            chunk.clear();
            volume.device().write(lba, chunk, false);
        }
        boolean remapped = mode.equals("engine-1M") || mode.equals("raw-1M-spares");
        if (mode.equals("engine-1M-1TiB")) {
            RemapState st = volume.metadata().state();
            SplittableRandom r = new SplittableRandom(42);
            for (long spare = 0; spare < REMAPS; ) {
                long lba = r.nextLong(dataBlocks); // uniform over the whole data area
                if (st.spareOf(lba) == -1) {
                    st.apply(JournalRecord.map(lba, spare++, 0), true);
                }
            }
            rewriteRemapped(st);
        }
        if (remapped) {
            RemapState st = volume.metadata().state();
            SplittableRandom r = new SplittableRandom(42);
            long spare = 0;
            long inWorkingSet = 0;
            // half of the working set, the rest spread over the data area beyond it
            while (spare < REMAPS) {
                boolean ws = inWorkingSet < WORKING_SET / 2 && spare % 2 == 0;
                long lba = ws ? r.nextLong(WORKING_SET) : r.nextLong(WORKING_SET, DATA_BLOCKS);
                if (st.spareOf(lba) == -1) {
                    inWorkingSet += ws ? 1 : 0;
                    st.apply(JournalRecord.map(lba, spare, 0), true);
                    spare++;
                }
            }
            rewriteRemapped(st);
        }
        volume.device().flush();
        sequence = new long[SEQUENCE];
        long seed = 1;
        RemapState st = volume.metadata().state();
        boolean rawFile = mode.startsWith("raw");
        for (int i = 0; i < SEQUENCE; i++) {
            seed = seed * 6364136223846793005L + 1442695040888963407L;
            long lba = (seed >>> 33) % WORKING_SET;
            long s = rawFile && remapped ? st.spareOf(lba) : -1;
            sequence[i] = !rawFile ? lba
                    : s >= 0 ? volume.deviceLbaOfSpare(s) : volume.backingLbaOfData(lba);
        }
        if (rawFile) {
            raw = FileBlockDevice.open(file, BS, false);
            target = raw;
        } else {
            target = volume.device();
        }
    }

    /** Writes the working set's remapped blocks again: the data lands on their spares. */
    private void rewriteRemapped(RemapState st) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(BS);
        for (long lba = 0; lba < WORKING_SET; lba++) {
            if (st.spareOf(lba) >= 0) {
                new SplittableRandom(~lba).nextBytes(one.array());
                one.clear();
                volume.device().write(lba, one, false); // lands on the spare
            }
        }
    }

    private Supplier<RemapTable> tables() {
        if (table.equals("placeholder")) {
            return TestRemapTable::new;
        }
        return () -> {
            try {
                return (RemapTable) Class.forName("org.remaptarget.remap.table.IncrementalRemapTable")
                        .getConstructor().newInstance();
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("table implementation not available: " + e, e);
            }
        };
    }

    @Benchmark
    public ByteBuffer randomRead4k() throws IOException {
        long lba = sequence[next++ & (SEQUENCE - 1)];
        buf.clear();
        target.read(lba, buf);
        return buf;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        BenchFiles.closeAndDelete(raw, volume, dir);
    }
}
