package org.remaptarget.remap.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.remaptarget.remap.device.AllocationRun;
import org.remaptarget.remap.device.BlockDevice;
import org.remaptarget.remap.device.MediumErrorException;
import org.remaptarget.remap.meta.MetadataStore;
import org.remaptarget.remap.meta.RemapState;
import org.remaptarget.remap.stats.EngineCounters;
import org.remaptarget.remap.stats.HealthMonitor;
import org.remaptarget.remap.stats.Listeners;
import org.remaptarget.remap.table.RemapTable;

/**
 * The remapping decorator: exports the data area and redirects failing blocks to spares.
 *
 * <p>A multi-block read over remapped blocks reads the primary range in one call and lays the spares, read in as few
 * calls as possible, over the remapped blocks; where that read-through failed once it is split at remapped blocks
 * ({@link RangeReader}). A multi-block write over remapped blocks writes the primary range in one call and the
 * spares in as few calls as possible, or split where that write-through failed once ({@link RangeWriter}); a write
 * covering a pending block is split block by block around it. A failing multi-block request is
 * retried block by block so the failing block is located exactly. A read that still fails after the configured
 * retries raises {@link MediumErrorException} naming that block and marks it pending; a write that fails twice
 * (or covers a pending block) is written to a new spare and made durable before it returns ({@link Reallocator}).
 * Discard and flush reach primary and spare blocks.
 *
 * <p>Hot path: when nothing is remapped or pending, a request is one call to the data device plus two volatile
 * reads (the remap fence). No locks are taken except on the error path (stripe locks in {@link Reallocator}).
 *
 * <p>The behaviour switches ({@link EngineOptions}: read retries, automatic write reallocation) can be changed at
 * run time ({@link #setReadRetries}, {@link #setAutoReallocateOnWrite}): the current options are one immutable
 * value behind a volatile field, swapped under {@code optionsLock}; an I/O already running may still use the
 * previous value. {@link #writeReporting} tells its caller whether the write moved a block to a spare.
 */
public final class RemappingBlockDevice implements BlockDevice {
    private static final Logger LOG = LogManager.getLogger(RemappingBlockDevice.class);
    private static final int DISCARD_CHUNK = 1 << 16;
    /** Scratch spaces of the range paths kept for reuse: requests in flight at once that allocate nothing. */
    static final int SCRATCH_SLOTS = 32;

    /** {@link #writeReporting} result when no block was moved to a spare. */
    public static final long NOT_REALLOCATED = -1;

    private final BlockDevice data;
    private final BlockDevice spare;
    private final List<BlockDevice> flushTargets;
    private final RemapState state;
    private final RemapTable table;
    private final Object optionsLock = new Object();
    private volatile VolumeMaintenance maintenance; // for ARRE's manual remaps; made on first use
    private volatile EngineOptions options;
    private final EngineCounters counters;
    private final Reallocator realloc;
    private final RangeReader ranges;
    private final RangeWriter rangeWriter;
    private final int bs;
    private final String name;

    /**
     * @param data         the data area (LBA 0 = first exported block)
     * @param spare        the spare area (LBA = spare index)
     * @param flushTargets the distinct devices a flush must reach (the backing device, and a separate spare one)
     * @param store        the recovered metadata store (its state holds table, allocator and pending set)
     */
    public RemappingBlockDevice(BlockDevice data, BlockDevice spare, List<BlockDevice> flushTargets,
                                MetadataStore store, EngineOptions options, EngineCounters counters,
                                Listeners listeners, HealthMonitor health, String name) {
        if (data.blockSize() != spare.blockSize()) {
            throw new IllegalArgumentException("data and spare block sizes differ");
        }
        this.data = data;
        this.spare = spare;
        this.flushTargets = List.copyOf(flushTargets);
        this.state = store.state();
        this.table = state.table();
        this.options = options;
        this.counters = counters;
        this.realloc = new Reallocator(spare, store, counters, listeners, health, name);
        this.bs = data.blockSize();
        this.name = name;
        RangeScratch.Pool scratch = new RangeScratch.Pool(SCRATCH_SLOTS);
        this.ranges = new RangeReader(this, data, spare, table, state.dataBlocks(), scratch);
        this.rangeWriter = new RangeWriter(this, data, spare, table, state.dataBlocks(), scratch);
        realloc.updateHealth();
    }

    @Override
    public int blockSize() {
        return bs;
    }

    @Override
    public long blockCount() {
        return state.dataBlocks();
    }

    // ------------------------------------------------------------------ read

    @Override
    public void read(long lba, ByteBuffer dst) throws IOException {
        readReporting(lba, dst);
    }

    /**
     * Reads like {@link #read} and reports whether a block needed retries: null when every block read at the
     * first attempt (the common case allocates nothing), else the highest recovered block and whether automatic
     * read reallocation moved it to a spare. The data returned is the data read either way.
     */
    public ReadRecovery readReporting(long lba, ByteBuffer dst) throws IOException {
        int n = blocksIn(dst);
        checkRange(lba, n);
        counters.reads.increment();
        counters.blocksRead.add(n);
        int start = dst.position();
        if (table.size() == 0) {
            try {
                data.read(lba, dst); // the common case: nothing remapped, one call, no copies
                return null;
            } catch (IOException e) {
                dst.position(start);
                ReadRecovery r = locatePrimaryFailure(lba, n, dst.slice(), e);
                dst.position(start + n * bs);
                return r;
            }
        }
        if (n == 1) {
            long s = table.get(lba);
            BlockDevice dev = s == RemapTable.NOT_MAPPED ? data : spare;
            try {
                dev.read(s == RemapTable.NOT_MAPPED ? lba : s, dst); // one lookup, one call, no copies
                return null;
            } catch (IOException e) {
                dst.position(start);
                ReadRecovery r = readBlockWithRetries(dev, s == RemapTable.NOT_MAPPED ? lba : s, lba, dst.slice(),
                        1, s);
                dst.position(start + bs);
                return r;
            }
        }
        ReadRecovery recovered = ranges.read(lba, n, dst.slice());
        dst.position(start + n * bs);
        return recovered;
    }

    ByteBuffer window(ByteBuffer buf, int block, int blocks) {
        return buf.duplicate().position(block * bs).limit((block + blocks) * bs).slice();
    }

    ReadRecovery readPrimary(long lba, int n, ByteBuffer buf) throws IOException {
        try {
            data.read(lba, buf.duplicate());
            return null;
        } catch (IOException e) {
            return locatePrimaryFailure(lba, n, buf, e);
        }
    }

    /** After one failed read of {@code [lba, +n)}: retry (one block) or locate the failing block (several). */
    private ReadRecovery locatePrimaryFailure(long lba, int n, ByteBuffer buf, IOException e) throws IOException {
        if (n == 1) {
            return readBlockWithRetries(data, lba, lba, buf, 1, RemapTable.NOT_MAPPED);
        }
        LOG.debug("{}: read of [{}, +{}) failed ({}); locating the failing block", name, lba, n, e.toString());
        ReadRecovery recovered = null;
        for (int i = 0; i < n; i++) {
            recovered = ReadRecovery.max(recovered,
                    readBlockWithRetries(data, lba + i, lba + i, window(buf, i, 1), 0, RemapTable.NOT_MAPPED));
        }
        if (recovered == null) {
            // every block read at once on the retry: the failure was transient and cannot be pinned to a block,
            // so it is reported at the start of the run and nothing is moved
            counters.readsRecovered.increment();
            return new ReadRecovery(lba, false);
        }
        return recovered;
    }

    /**
     * Reads one block from {@code dev}; {@code used} attempts already failed. After {@code 1 + readRetries}
     * failures in all, marks {@code lba} pending and throws a medium error naming it. A block read only on a retry
     * is reported (and, with automatic read reallocation on, moved to a spare); a first-attempt success returns
     * null.
     */
    ReadRecovery readBlockWithRetries(BlockDevice dev, long devLba, long lba, ByteBuffer one, int used,
                                              long mappedTo) throws IOException {
        EngineOptions o = options;
        int attempts = 1 + o.readRetries();
        IOException last = null;
        for (int a = used; a < attempts; a++) {
            if (a > 0) {
                counters.retries.increment();
                counters.readRetries.increment();
            }
            try {
                dev.read(devLba, one.duplicate());
                if (a == 0) {
                    return null;
                }
                counters.readsRecovered.increment();
                return new ReadRecovery(lba, o.autoReallocateOnRead() && reallocateRecovered(lba, mappedTo));
            } catch (IOException e) {
                last = e;
            }
        }
        counters.readErrors.increment();
        realloc.markPending(lba, mappedTo);
        MediumErrorException m = new MediumErrorException(lba, false, "unrecovered read error at LBA " + lba
                + " after " + attempts + " attempts (marked pending reallocation)");
        if (last != null) {
            m.initCause(last);
        }
        throw m;
    }

    // ------------------------------------------------------------------ write

    @Override
    public void write(long lba, ByteBuffer src, boolean fua) throws IOException {
        writeReporting(lba, src, fua);
    }

    /**
     * Writes like {@link #write} and reports whether the write was recovered by moving a block to a spare (a
     * failing block, or one pending reallocation): returns the highest such LBA, or {@link #NOT_REALLOCATED}.
     * The data is written and durable as {@link #write} promises either way.
     */
    public long writeReporting(long lba, ByteBuffer src, boolean fua) throws IOException {
        int n = blocksIn(src);
        checkRange(lba, n);
        counters.writes.increment();
        counters.blocksWritten.add(n);
        ByteBuffer buf = src.slice();
        long token = realloc.fenceBefore();
        long moved;
        if (token < 0) {
            moved = slowWrite(lba, n, buf, fua, false);
        } else {
            moved = fastWrite(lba, n, buf, fua);
            if (!realloc.fenceHeld(token)) {
                // a remap ran while this write was in flight: make sure the data lands where the table points now
                moved = Math.max(moved, slowWrite(lba, n, buf, fua, false));
            }
        }
        src.position(src.limit());
        return moved;
    }

    private long fastWrite(long lba, int n, ByteBuffer buf, boolean fua) throws IOException {
        if (table.size() == 0 && !state.hasPending()) {
            return writePrimaryRun(lba, n, buf, fua);
        }
        if (n > 1 && !pendingIn(lba, n)) {
            return rangeWriter.write(lba, n, buf, fua);
        }
        long moved = NOT_REALLOCATED;
        int i = 0;
        while (i < n) {
            long s = table.get(lba + i);
            if (state.isPending(lba + i)) {
                moved = Math.max(moved, slowWriteBlock(lba + i, window(buf, i, 1), fua, false));
                i++;
            } else if (s != RemapTable.NOT_MAPPED) {
                moved = Math.max(moved, writeSpareBlock(lba + i, s, window(buf, i, 1), fua));
                i++;
            } else {
                int j = i + 1;
                while (j < n && table.get(lba + j) == RemapTable.NOT_MAPPED && !state.isPending(lba + j)) {
                    j++;
                }
                moved = Math.max(moved, writePrimaryRun(lba + i, j - i, window(buf, i, j - i), fua));
                i = j;
            }
        }
        return moved;
    }

    private boolean pendingIn(long lba, int n) {
        if (!state.hasPending()) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (state.isPending(lba + i)) {
                return true;
            }
        }
        return false;
    }

    /** One write of the unmapped, not pending run {@code [lba, +n)}; a failure is healed block by block. */
    long writePrimaryRun(long lba, int n, ByteBuffer run, boolean fua) throws IOException {
        try {
            data.write(lba, run.duplicate(), fua);
            return NOT_REALLOCATED;
        } catch (IOException e) {
            return failedRun(lba, n, run, fua, e);
        }
    }

    /** One write of remapped block {@code lba} to its spare {@code s}; a failure goes to the slow path. */
    long writeSpareBlock(long lba, long s, ByteBuffer one, boolean fua) throws IOException {
        try {
            spare.write(s, one.duplicate(), fua);
            return NOT_REALLOCATED;
        } catch (IOException e) {
            counters.writeErrors.increment();
            return slowWriteBlock(lba, one, fua, true);
        }
    }

    private long failedRun(long lba, int n, ByteBuffer run, boolean fua, IOException e) throws IOException {
        counters.writeErrors.increment();
        LOG.debug("{}: write of [{}, +{}) failed ({}); retrying block by block", name, lba, n, e.toString());
        return slowWrite(lba, n, run, fua, true);
    }

    /** Writes block by block; returns the highest LBA moved to a spare, or {@link #NOT_REALLOCATED}. */
    private long slowWrite(long lba, int n, ByteBuffer buf, boolean fua, boolean firstAttemptFailed)
            throws IOException {
        long moved = NOT_REALLOCATED;
        for (int i = 0; i < n; i++) {
            moved = Math.max(moved, slowWriteBlock(lba + i, window(buf, i, 1), fua, firstAttemptFailed && n == 1));
        }
        return moved;
    }

    /**
     * Writes one block under its stripe lock, wherever the table points now; heals failures by remapping.
     *
     * @param firstAttemptFailed the caller already tried this exact block once (so only the one retry is left)
     * @return {@code lba} when the block was moved to a spare, else {@link #NOT_REALLOCATED}
     */
    private long slowWriteBlock(long lba, ByteBuffer one, boolean fua, boolean firstAttemptFailed)
            throws IOException {
        boolean awre = options.autoReallocateOnWrite();
        ReentrantLock lock = realloc.lockFor(lba);
        try {
            long s = table.get(lba);
            boolean pending = state.isPending(lba);
            int attempts = firstAttemptFailed ? 1 : 2;
            if (firstAttemptFailed) {
                counters.retries.increment(); // every attempt left is the retry
                counters.writeRetries.increment();
            }
            if (pending) {
                if (!awre) {
                    if (tryWrite(s == RemapTable.NOT_MAPPED ? data : spare,
                            s == RemapTable.NOT_MAPPED ? lba : s, one, fua, attempts)) {
                        realloc.clearPending(lba);
                        return NOT_REALLOCATED;
                    }
                    throw unrecoveredWrite(lba);
                }
                realloc.remap(lba, one, s != RemapTable.NOT_MAPPED, "write to pending block");
                return lba;
            } else if (s != RemapTable.NOT_MAPPED) {
                if (!realloc.tryWriteSpare(s, one, fua, attempts)) {
                    if (!options.autoReallocateOnWrite()) {
                        throw new MediumErrorException(lba, true, "write error at LBA " + lba + " (on spare " + s
                                + "; automatic write reallocation is off)");
                    }
                    realloc.remap(lba, one, true, "spare " + s + " failed on write");
                    return lba;
                }
            } else if (!tryWrite(data, lba, one, fua, attempts)) {
                if (!awre) {
                    throw unrecoveredWrite(lba);
                }
                realloc.remap(lba, one, false, "write error");
                return lba;
            }
            return NOT_REALLOCATED;
        } finally {
            lock.unlock();
        }
    }

    private MediumErrorException unrecoveredWrite(long lba) {
        counters.writeErrorsReported.increment();
        return new MediumErrorException(lba, true, "write error at LBA " + lba
                + " (automatic write reallocation is off)");
    }

    private boolean tryWrite(BlockDevice dev, long devLba, ByteBuffer one, boolean fua, int attempts) {
        for (int a = 0; a < attempts; a++) {
            if (a > 0) {
                counters.retries.increment();
                counters.writeRetries.increment();
            }
            try {
                dev.write(devLba, one.duplicate(), fua);
                return true;
            } catch (IOException e) {
                counters.writeErrors.increment();
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ flush and discard

    @Override
    public void flush() throws IOException {
        counters.flushes.increment();
        for (BlockDevice d : flushTargets) {
            d.flush();
        }
    }

    @Override
    public void discard(long lba, long blocks) throws IOException {
        checkRange(lba, blocks);
        counters.discards.increment();
        long token = realloc.fenceBefore();
        for (long done = 0; done < blocks; done += DISCARD_CHUNK) {
            long n = Math.min(DISCARD_CHUNK, blocks - done);
            try {
                data.discard(lba + done, n);
            } catch (IOException e) {
                LOG.debug("{}: discard of [{}, +{}) failed ({}); writing zeros instead", name, lba + done, n,
                        e.toString());
                ByteBuffer zero = ByteBuffer.allocate(bs);
                for (long b = 0; b < n; b++) {
                    if (table.get(lba + done + b) == RemapTable.NOT_MAPPED) {
                        slowWriteBlock(lba + done + b, zero, false, false);
                    }
                }
            }
        }
        discardRemappedAndPending(lba, blocks);
        if (!realloc.fenceHeld(token)) {
            discardRemappedAndPending(lba, blocks);
        }
    }

    /**
     * Provisioning state as the data area reports it, except that a remapped or pending block always counts as
     * mapped (its data lives on a spare, or must not be presumed gone): a run is cut at the first such block, and a
     * run starting at one is that block alone.
     */
    @Override
    public AllocationRun allocation(long lba, long maxBlocks) throws IOException {
        checkRange(lba, maxBlocks);
        if (maxBlocks < 1) {
            throw new IllegalArgumentException("allocation query of " + maxBlocks + " blocks");
        }
        if (isRedirected(lba)) {
            return new AllocationRun(true, 1);
        }
        AllocationRun run = data.allocation(lba, maxBlocks);
        if (run.mapped() || (table.size() == 0 && state.pendingCount() == 0)) {
            return run;
        }
        long n = run.length();
        if (n <= 4L * (table.size() + state.pendingCount()) + 64) {
            for (long i = 1; i < n; i++) {
                if (isRedirected(lba + i)) {
                    return new AllocationRun(false, i);
                }
            }
            return run;
        }
        long[] first = {lba + n};
        table.forEach((l, s) -> {
            if (l > lba && l < first[0]) {
                first[0] = l;
            }
        });
        state.forEachPending(l -> {
            if (l > lba && l < first[0]) {
                first[0] = l;
            }
        });
        return new AllocationRun(false, first[0] - lba);
    }

    private boolean isRedirected(long lba) {
        return table.get(lba) != RemapTable.NOT_MAPPED || state.isPending(lba);
    }

    /** Discards the spares of remapped blocks in the range and rewrites pending ones as zeros (remapping them). */
    private void discardRemappedAndPending(long lba, long blocks) throws IOException {
        List<Long> targets = new ArrayList<>();
        if (table.size() > 0) {
            if (blocks <= 4 * table.size()) {
                for (long b = lba; b < lba + blocks; b++) {
                    if (table.get(b) != RemapTable.NOT_MAPPED) {
                        targets.add(b);
                    }
                }
            } else {
                table.forEach((l, s) -> {
                    if (l >= lba && l < lba + blocks) {
                        targets.add(l);
                    }
                });
            }
        }
        state.forEachPending(l -> {
            if (l >= lba && l < lba + blocks && table.get(l) == RemapTable.NOT_MAPPED) {
                targets.add(l);
            }
        });
        ByteBuffer zero = ByteBuffer.allocate(bs);
        for (long l : targets) {
            ReentrantLock lock = realloc.lockFor(l);
            try {
                long s = table.get(l);
                boolean ok = false;
                if (s != RemapTable.NOT_MAPPED && !state.isPending(l)) {
                    try {
                        spare.discard(s, 1);
                        ok = true;
                    } catch (IOException e) {
                        LOG.debug("{}: discard of spare {} failed: {}", name, s, e.toString());
                    }
                }
                if (!ok) {
                    slowWriteBlock(l, zero, false, false);
                }
            } finally {
                lock.unlock();
            }
        }
    }

    // ------------------------------------------------------------------ for VolumeMaintenance

    /**
     * ARRE: moves a block that was readable only on a retry to a spare, unless it moved meanwhile. The copy is
     * re-read under the fence and the block's lock ({@link VolumeMaintenance#remapNow}), never taken from the
     * unlocked read, so a write acknowledged in between cannot be overtaken. Best effort: no spare left, or a
     * re-read that fails (the block is then marked pending), leaves the read's own result alone. Returns true when
     * it moved.
     */
    private boolean reallocateRecovered(long lba, long mappedTo) {
        if (table.get(lba) != mappedTo) {
            return false;
        }
        try {
            return maintenance().remapNow(lba) >= 0;
        } catch (IOException e) {
            LOG.debug("{}: automatic read reallocation of LBA {} failed: {}", name, lba, e.toString());
            return false;
        }
    }

    private VolumeMaintenance maintenance() {
        VolumeMaintenance m = maintenance;
        if (m == null) {
            m = new VolumeMaintenance(this);
            maintenance = m;
        }
        return m;
    }

    RangeWriter rangeWriter() {
        return rangeWriter;
    }

    BlockDevice dataArea() {
        return data;
    }

    BlockDevice spareArea() {
        return spare;
    }

    RemapState state() {
        return state;
    }

    Reallocator reallocator() {
        return realloc;
    }

    EngineCounters counters() {
        return counters;
    }

    /** The behaviour switches now in force. */
    public EngineOptions options() {
        return options;
    }

    /**
     * AWRE: on, a write error is healed by moving the block to a spare; off, it is reported as a write medium
     * error naming the block. Takes effect for I/O that starts afterwards. Thread-safe.
     */
    public void setAutoReallocateOnWrite(boolean on) {
        synchronized (optionsLock) {
            options = options.withAutoReallocateOnWrite(on);
        }
    }

    /**
     * ARRE: on, a block that could be read only on a retry is moved to a spare at once. Takes effect for I/O that
     * starts afterwards. Thread-safe.
     */
    public void setAutoReallocateOnRead(boolean on) {
        synchronized (optionsLock) {
            options = options.withAutoReallocateOnRead(on);
        }
    }

    /**
     * Extra attempts of a failing block read before it is reported and marked pending (0..100). Takes effect for
     * I/O that starts afterwards. Thread-safe.
     *
     * @throws IllegalArgumentException outside 0..100
     */
    public void setReadRetries(int n) {
        synchronized (optionsLock) {
            options = options.withReadRetries(n);
        }
    }

    @Override
    public void close() {
        // the volume owns the devices and the metadata store
    }

    @Override
    public String toString() {
        return "remap(" + name + ")";
    }
}
