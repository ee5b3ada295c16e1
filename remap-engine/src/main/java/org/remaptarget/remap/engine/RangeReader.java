package org.remaptarget.remap.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.remaptarget.remap.device.BlockDevice;
import org.remaptarget.remap.table.RemapTable;

/**
 * The multi-block read path of a {@link RemappingBlockDevice} when the table is not empty: reads a range that may
 * hold remapped blocks in few device calls.
 *
 * <p><b>Read-through</b>: when the range's unmapped blocks form two runs or more, the whole range is read from the
 * data area in one call and the remapped blocks are then overlaid with their spare data. If that read fails, the
 * range is read again the split way (each unmapped run on its own, failures located per block with the engine's
 * retries, medium errors and pending marks), and the failure is remembered in {@link FailureRegions}: later reads
 * touching a marked region split at once, so each failing primary costs one failed read-through.
 *
 * <p><b>Spare gather</b>: the spares of adjacent remapped blocks (all of the range's, after a read-through) are read
 * in as few calls as possible: one read of the whole spare span when it is dense (span ≤ 2 × blocks, ≤
 * {@link #MAX_GATHER_BYTES}), else one read per chunk of entries whose spares stay that dense (runs of consecutive
 * spares), lone spares straight into their windows; a gathered read that fails is redone block by block with
 * exactly the split path's error handling.
 *
 * <p>Invariants: the primary content of a block the lookup found remapped is never returned: on success its window
 * holds its spare data, and when a read that read through fails, the windows of the remapped blocks are zeroed
 * before the error is thrown. Errors are raised in ascending LBA order, as the split path raises them (after a
 * successful read-through only spares can fail).
 *
 * <p>Owns its failure regions ({@code noReadThrough}); per-request scratch space comes from the engine's
 * {@link RangeScratch.Pool}, shared with the write path (each keeps a gather buffer of at most
 * {@link #MAX_GATHER_BYTES}, grown only as far as a request needed). Holds no lock; requests run concurrently.
 *
 * <p>Concurrency with remaps: like the split path this reads without the remap fence. Each block is looked up once,
 * before any device read, and read from wherever the lookup pointed; reading the primary of a block remapped after
 * its lookup is what the split path does too when its lookup precedes the remap. A remap puts the data on the new
 * spare before the table publishes it and never writes the primary, and the engine retires (never frees for reuse)
 * a mapped spare when its block moves again, so a block whose remap overlaps the read returns its content from
 * before or after the write that caused the remap, never another block's. The window between lookup and device
 * read is longer than the split path's (the whole range is looked up first), which changes no outcome above.
 */
final class RangeReader {
    private static final Logger LOG = LogManager.getLogger(RangeReader.class);
    /** Largest spare span read in one call into scratch space. */
    static final int MAX_GATHER_BYTES = 1 << 20;

    private final RemappingBlockDevice engine;
    private final BlockDevice data;
    private final BlockDevice spare;
    private final RemapTable table;
    private final int bs;
    private final int maxGatherBlocks;
    private final FailureRegions noReadThrough;
    private final RangeScratch.Pool pool;

    RangeReader(RemappingBlockDevice engine, BlockDevice data, BlockDevice spare, RemapTable table,
                long dataBlocks, RangeScratch.Pool pool) {
        this.engine = engine;
        this.data = data;
        this.spare = spare;
        this.table = table;
        this.bs = data.blockSize();
        this.maxGatherBlocks = MAX_GATHER_BYTES / bs;
        this.noReadThrough = new FailureRegions(dataBlocks);
        this.pool = pool;
    }

    /** Reads {@code n} blocks at {@code lba} into {@code buf} (exactly {@code n} blocks, position 0). */
    ReadRecovery read(long lba, int n, ByteBuffer buf) throws IOException {
        RangeScratch sc = pool.take();
        try {
            int runs = sc.lookUp(table, lba, n);
            int k = sc.count;
            if (k == 0) {
                return engine.readPrimary(lba, n, buf);
            }
            if (runs < 2 || noReadThrough.any(lba, n)) {
                return split(lba, n, buf, sc);
            }
            try {
                try {
                    data.read(lba, buf.duplicate());
                } catch (IOException e) {
                    noReadThrough.failed(lba, n, e);
                    LOG.debug("{}: read-through of [{}, +{}) failed ({}); splitting at remapped blocks here from now"
                            + " on", engine, lba, n, e.toString());
                    return split(lba, n, buf, sc);
                }
                return spares(lba, buf, sc, 0, k);
            } catch (IOException | RuntimeException e) {
                for (int j = 0; j < k; j++) {
                    zero(buf, sc.at[j]); // the primary content of a remapped block is never returned
                }
                throw e;
            }
        } finally {
            pool.give(sc);
        }
    }

    /** Unmapped runs read one call each, each group of adjacent remapped blocks gathered, in LBA order. */
    private ReadRecovery split(long lba, int n, ByteBuffer buf, RangeScratch sc) throws IOException {
        ReadRecovery recovered = null;
        int i = 0;
        int j = 0;
        while (i < n) {
            if (j < sc.count && sc.at[j] == i) {
                int g = sc.groupEnd(j);
                recovered = ReadRecovery.max(recovered, spares(lba, buf, sc, j, g));
                i = sc.at[g - 1] + 1;
                j = g;
            } else {
                int end = j < sc.count ? sc.at[j] : n;
                recovered = ReadRecovery.max(recovered,
                        engine.readPrimary(lba + i, end - i, engine.window(buf, i, end - i)));
                i = end;
            }
        }
        return recovered;
    }

    /** Reads the spares of remapped entries {@code [a, b)} into their windows. */
    private ReadRecovery spares(long lba, ByteBuffer buf, RangeScratch sc, int a, int b) throws IOException {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int j = a; j < b; j++) {
            min = Math.min(min, sc.spareOf[j]);
            max = Math.max(max, sc.spareOf[j]);
        }
        if (b - a > 1 && dense(max - min + 1, b - a)) {
            return gathered(lba, buf, sc, a, b, min, max - min + 1);
        }
        ReadRecovery recovered = null;
        int j = a;
        while (j < b) {
            // greedily extend a chunk (in request order) while its spares stay a dense span
            long lo = sc.spareOf[j];
            long hi = lo;
            int e = j + 1;
            while (e < b) {
                long l = Math.min(lo, sc.spareOf[e]);
                long h = Math.max(hi, sc.spareOf[e]);
                if (!dense(h - l + 1, e - j + 1)) {
                    break;
                }
                lo = l;
                hi = h;
                e++;
            }
            recovered = ReadRecovery.max(recovered, e - j > 1 ? gathered(lba, buf, sc, j, e, lo, hi - lo + 1)
                    : oneByOne(lba, buf, sc, j, e));
            j = e;
        }
        return recovered;
    }

    private boolean dense(long span, int blocks) {
        return span <= 2L * blocks && span <= maxGatherBlocks;
    }

    /** One read of spares {@code [first, +span)} into scratch, then each entry copied into its window. */
    private ReadRecovery gathered(long lba, ByteBuffer buf, RangeScratch sc, int a, int b, long first, long span)
            throws IOException {
        ByteBuffer tmp = sc.span((int) span * bs);
        try {
            spare.read(first, tmp.duplicate());
        } catch (IOException e) {
            LOG.debug("{}: gathered read of spares [{}, +{}) failed ({}); reading them one by one", engine, first,
                    span, e.toString());
            return oneByOne(lba, buf, sc, a, b);
        }
        for (int j = a; j < b; j++) {
            buf.put(sc.at[j] * bs, tmp, (int) (sc.spareOf[j] - first) * bs, bs);
        }
        return null;
    }

    /** The split path's own per-block spare read: one attempt, then the engine's retries and error reporting. */
    private ReadRecovery oneByOne(long lba, ByteBuffer buf, RangeScratch sc, int a, int b) throws IOException {
        ReadRecovery recovered = null;
        for (int j = a; j < b; j++) {
            ByteBuffer one = engine.window(buf, sc.at[j], 1);
            long s = sc.spareOf[j];
            try {
                spare.read(s, one.duplicate());
            } catch (IOException e) {
                recovered = ReadRecovery.max(recovered,
                        engine.readBlockWithRetries(spare, s, lba + sc.at[j], one, 1, s));
            }
        }
        return recovered;
    }

    private void zero(ByteBuffer buf, int block) {
        for (int p = block * bs, end = p + bs; p < end; p += 8) {
            buf.putLong(p, 0L);
        }
    }
}
