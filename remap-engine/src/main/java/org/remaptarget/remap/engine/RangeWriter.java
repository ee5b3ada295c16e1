package org.remaptarget.remap.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.LongAdder;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.remaptarget.remap.device.BlockDevice;
import org.remaptarget.remap.table.RemapTable;

/**
 * The multi-block write path of a {@link RemappingBlockDevice} when the table is not empty and no block of the range
 * is pending: writes a range that may hold remapped blocks in few device calls.
 *
 * <p><b>Write-through</b>: when the range's unmapped blocks form two runs or more, the whole range is written to the
 * data area in one call, the remapped blocks' primary copies included, and then the remapped blocks are written to
 * their spares. Writing a remapped block's primary is harmless: nothing reads it (every read of a remapped block,
 * split or read-through, takes its spare; the engine never unmaps a block), and it is a write the split path would
 * have made too if the block had not moved. If the primary write fails (a remapped block's primary is usually bad),
 * the range is written again the split way (each unmapped run on its own, failures located per block with the
 * engine's retries and remaps), and the failure is remembered in {@link FailureRegions} (its own, apart from the
 * read path's): later writes touching a marked region split at once, so each failing primary costs one failed
 * write-through.
 *
 * <p><b>Spare gather</b>: the remapped blocks are taken in LBA order, and each run of them whose spares are
 * consecutive (as they are when blocks were remapped in LBA order, the usual case on a failing area or after a
 * scrub) is copied into scratch space and written in one call of at most {@link RangeReader#MAX_GATHER_BYTES}; a
 * lone spare is written straight from its window. A gathered write that fails is redone block by block with exactly
 * the split path's handling (one attempt, then the engine's stripe-locked slow path, which retries and remaps).
 *
 * <p>Durability: FUA is passed to every device write, primary and spare. When {@link #write} returns, every block
 * is written where the lookup pointed; the engine takes care of writes overlapping a remap (it holds the remap fence around the
 * call and redoes the range under stripe locks when a remap ran meanwhile), exactly as for the split path. Errors
 * are raised in ascending LBA order of the blocks that could not be written.
 *
 * <p>Owns its failure regions ({@code noWriteThrough}); scratch space comes from the engine's
 * {@link RangeScratch.Pool}, shared with the read path. Holds no lock; requests run concurrently.
 */
final class RangeWriter {
    private static final Logger LOG = LogManager.getLogger(RangeWriter.class);

    private final RemappingBlockDevice engine;
    private final BlockDevice data;
    private final BlockDevice spare;
    private final RemapTable table;
    private final int bs;
    private final int maxGatherBlocks;
    private final FailureRegions noWriteThrough;
    private final RangeScratch.Pool pool;
    /** Write-throughs tried, and those that failed and fell back to the split path (for tests and probes). */
    final LongAdder throughs = new LongAdder();
    final LongAdder fallbacks = new LongAdder();

    RangeWriter(RemappingBlockDevice engine, BlockDevice data, BlockDevice spare, RemapTable table, long dataBlocks,
                RangeScratch.Pool pool) {
        this.engine = engine;
        this.data = data;
        this.spare = spare;
        this.table = table;
        this.bs = data.blockSize();
        this.maxGatherBlocks = Math.max(1, RangeReader.MAX_GATHER_BYTES / bs);
        this.noWriteThrough = new FailureRegions(dataBlocks);
        this.pool = pool;
    }

    /**
     * Writes {@code n} blocks at {@code lba} from {@code buf} (exactly {@code n} blocks, position 0). Returns the
     * highest LBA moved to a spare, or {@link RemappingBlockDevice#NOT_REALLOCATED}.
     */
    long write(long lba, int n, ByteBuffer buf, boolean fua) throws IOException {
        RangeScratch sc = pool.take();
        try {
            int runs = sc.lookUp(table, lba, n);
            int k = sc.count;
            if (k == 0) {
                return engine.writePrimaryRun(lba, n, buf, fua);
            }
            if (runs < 2 || noWriteThrough.any(lba, n)) {
                return split(lba, n, buf, sc, fua);
            }
            throughs.increment();
            try {
                data.write(lba, buf.duplicate(), fua);
            } catch (IOException e) {
                fallbacks.increment();
                noWriteThrough.failed(lba, n, e);
                LOG.debug("{}: write-through of [{}, +{}) failed ({}); splitting at remapped blocks here from now on",
                        engine, lba, n, e.toString());
                return split(lba, n, buf, sc, fua);
            }
            return spares(lba, buf, sc, 0, k, fua);
        } finally {
            pool.give(sc);
        }
    }

    /** Unmapped runs written one call each, each group of adjacent remapped blocks to its spares, in LBA order. */
    private long split(long lba, int n, ByteBuffer buf, RangeScratch sc, boolean fua) throws IOException {
        long moved = RemappingBlockDevice.NOT_REALLOCATED;
        int i = 0;
        int j = 0;
        while (i < n) {
            if (j < sc.count && sc.at[j] == i) {
                int g = sc.groupEnd(j);
                moved = Math.max(moved, spares(lba, buf, sc, j, g, fua));
                i = sc.at[g - 1] + 1;
                j = g;
            } else {
                int end = j < sc.count ? sc.at[j] : n;
                moved = Math.max(moved, engine.writePrimaryRun(lba + i, end - i, engine.window(buf, i, end - i), fua));
                i = end;
            }
        }
        return moved;
    }

    /** Writes remapped entries {@code [a, b)} to their spares, runs of consecutive spares gathered. */
    private long spares(long lba, ByteBuffer buf, RangeScratch sc, int a, int b, boolean fua) throws IOException {
        long moved = RemappingBlockDevice.NOT_REALLOCATED;
        int j = a;
        while (j < b) {
            int e = j + 1;
            while (e < b && sc.spareOf[e] == sc.spareOf[e - 1] + 1 && e - j < maxGatherBlocks) {
                e++;
            }
            moved = Math.max(moved, e - j > 1 ? gathered(lba, buf, sc, j, e, fua) : oneByOne(lba, buf, sc, j, e, fua));
            j = e;
        }
        return moved;
    }

    /** Entries {@code [a, b)} (consecutive spares) copied into scratch and written in one call. */
    private long gathered(long lba, ByteBuffer buf, RangeScratch sc, int a, int b, boolean fua) throws IOException {
        ByteBuffer tmp = sc.span((b - a) * bs);
        for (int j = a; j < b; j++) {
            tmp.put((j - a) * bs, buf, sc.at[j] * bs, bs);
        }
        try {
            spare.write(sc.spareOf[a], tmp, fua);
            return RemappingBlockDevice.NOT_REALLOCATED;
        } catch (IOException e) {
            LOG.debug("{}: gathered write of spares [{}, +{}) failed ({}); writing them one by one", engine,
                    sc.spareOf[a], b - a, e.toString());
            return oneByOne(lba, buf, sc, a, b, fua);
        }
    }

    private long oneByOne(long lba, ByteBuffer buf, RangeScratch sc, int a, int b, boolean fua) throws IOException {
        long moved = RemappingBlockDevice.NOT_REALLOCATED;
        for (int j = a; j < b; j++) {
            moved = Math.max(moved,
                    engine.writeSpareBlock(lba + sc.at[j], sc.spareOf[j], engine.window(buf, sc.at[j], 1), fua));
        }
        return moved;
    }
}
