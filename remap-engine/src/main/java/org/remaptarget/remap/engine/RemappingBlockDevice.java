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
 * <p>Reads and writes are split at remapped blocks (those go to their spares). A failing multi-block request is
 * retried block by block so the failing block is located exactly. A read that still fails after the configured
 * retries raises {@link MediumErrorException} naming that block and marks it pending; a write that fails twice
 * (or covers a pending block) is written to a new spare and made durable before it returns ({@link Reallocator}).
 * Discard and flush reach primary and spare blocks.
 *
 * <p>Hot path: when nothing is remapped or pending, a request is one call to the data device plus two volatile
 * reads (the remap fence). No locks are taken except on the error path (stripe locks in {@link Reallocator}).
 */
public final class RemappingBlockDevice implements BlockDevice {
    private static final Logger LOG = LogManager.getLogger(RemappingBlockDevice.class);
    private static final int DISCARD_CHUNK = 1 << 16;

    private final BlockDevice data;
    private final BlockDevice spare;
    private final List<BlockDevice> flushTargets;
    private final RemapState state;
    private final RemapTable table;
    private final EngineOptions options;
    private final EngineCounters counters;
    private final Reallocator realloc;
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
        int n = blocksIn(dst);
        checkRange(lba, n);
        counters.reads.increment();
        counters.blocksRead.add(n);
        int start = dst.position();
        if (table.size() == 0) {
            try {
                data.read(lba, dst); // the common case: nothing remapped, one call, no copies
                return;
            } catch (IOException e) {
                dst.position(start);
                locatePrimaryFailure(lba, n, dst.slice(), e);
                dst.position(start + n * bs);
                return;
            }
        }
        ByteBuffer buf = dst.slice();
        int i = 0;
        while (i < n) {
            long s = table.get(lba + i);
            if (s == RemapTable.NOT_MAPPED) {
                int j = i + 1;
                while (j < n && table.get(lba + j) == RemapTable.NOT_MAPPED) {
                    j++;
                }
                readPrimary(lba + i, j - i, window(buf, i, j - i));
                i = j;
            } else {
                ByteBuffer one = window(buf, i, 1);
                try {
                    spare.read(s, one.duplicate());
                } catch (IOException e) {
                    readBlockWithRetries(spare, s, lba + i, one, 1, s);
                }
                i++;
            }
        }
        dst.position(start + n * bs);
    }

    private ByteBuffer window(ByteBuffer buf, int block, int blocks) {
        return buf.duplicate().position(block * bs).limit((block + blocks) * bs).slice();
    }

    private void readPrimary(long lba, int n, ByteBuffer buf) throws IOException {
        try {
            data.read(lba, buf.duplicate());
        } catch (IOException e) {
            locatePrimaryFailure(lba, n, buf, e);
        }
    }

    /** After one failed read of {@code [lba, +n)}: retry (one block) or locate the failing block (several). */
    private void locatePrimaryFailure(long lba, int n, ByteBuffer buf, IOException e) throws IOException {
        if (n == 1) {
            readBlockWithRetries(data, lba, lba, buf, 1, RemapTable.NOT_MAPPED);
            return;
        }
        LOG.debug("{}: read of [{}, +{}) failed ({}); locating the failing block", name, lba, n, e.toString());
        for (int i = 0; i < n; i++) {
            readBlockWithRetries(data, lba + i, lba + i, window(buf, i, 1), 0, RemapTable.NOT_MAPPED);
        }
    }

    /**
     * Reads one block from {@code dev}; {@code used} attempts already failed. After {@code 1 + readRetries}
     * failures in all, marks {@code lba} pending and throws a medium error naming it.
     */
    private void readBlockWithRetries(BlockDevice dev, long devLba, long lba, ByteBuffer one, int used,
                                      long mappedTo) throws IOException {
        int attempts = 1 + options.readRetries();
        IOException last = null;
        for (int a = used; a < attempts; a++) {
            if (a > 0) {
                counters.retries.increment();
            }
            try {
                dev.read(devLba, one.duplicate());
                return;
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
        int n = blocksIn(src);
        checkRange(lba, n);
        counters.writes.increment();
        counters.blocksWritten.add(n);
        ByteBuffer buf = src.slice();
        long token = realloc.fenceBefore();
        if (token < 0) {
            slowWrite(lba, n, buf, fua, false);
        } else {
            fastWrite(lba, n, buf, fua);
            if (!realloc.fenceHeld(token)) {
                // a remap ran while this write was in flight: make sure the data lands where the table points now
                slowWrite(lba, n, buf, fua, false);
            }
        }
        src.position(src.limit());
    }

    private void fastWrite(long lba, int n, ByteBuffer buf, boolean fua) throws IOException {
        if (table.size() == 0 && !state.hasPending()) {
            try {
                data.write(lba, buf.duplicate(), fua);
            } catch (IOException e) {
                failedRun(lba, n, buf, fua, e);
            }
            return;
        }
        int i = 0;
        while (i < n) {
            long s = table.get(lba + i);
            if (state.isPending(lba + i)) {
                slowWriteBlock(lba + i, window(buf, i, 1), fua, false);
                i++;
            } else if (s != RemapTable.NOT_MAPPED) {
                try {
                    spare.write(s, window(buf, i, 1), fua);
                } catch (IOException e) {
                    counters.writeErrors.increment();
                    slowWriteBlock(lba + i, window(buf, i, 1), fua, true);
                }
                i++;
            } else {
                int j = i + 1;
                while (j < n && table.get(lba + j) == RemapTable.NOT_MAPPED && !state.isPending(lba + j)) {
                    j++;
                }
                ByteBuffer run = window(buf, i, j - i);
                try {
                    data.write(lba + i, run.duplicate(), fua);
                } catch (IOException e) {
                    failedRun(lba + i, j - i, run, fua, e);
                }
                i = j;
            }
        }
    }

    private void failedRun(long lba, int n, ByteBuffer run, boolean fua, IOException e) throws IOException {
        counters.writeErrors.increment();
        LOG.debug("{}: write of [{}, +{}) failed ({}); retrying block by block", name, lba, n, e.toString());
        slowWrite(lba, n, run, fua, true);
    }

    private void slowWrite(long lba, int n, ByteBuffer buf, boolean fua, boolean firstAttemptFailed)
            throws IOException {
        for (int i = 0; i < n; i++) {
            slowWriteBlock(lba + i, window(buf, i, 1), fua, firstAttemptFailed && n == 1);
        }
    }

    /**
     * Writes one block under its stripe lock, wherever the table points now; heals failures by remapping.
     *
     * @param firstAttemptFailed the caller already tried this exact block once (so only the one retry is left)
     */
    private void slowWriteBlock(long lba, ByteBuffer one, boolean fua, boolean firstAttemptFailed)
            throws IOException {
        ReentrantLock lock = realloc.lockFor(lba);
        try {
            long s = table.get(lba);
            boolean pending = state.isPending(lba);
            int attempts = firstAttemptFailed ? 1 : 2;
            if (firstAttemptFailed) {
                counters.retries.increment(); // every attempt left is the retry
            }
            if (pending) {
                if (!options.autoReallocateOnWrite()) {
                    if (tryWrite(s == RemapTable.NOT_MAPPED ? data : spare,
                            s == RemapTable.NOT_MAPPED ? lba : s, one, fua, attempts)) {
                        realloc.clearPending(lba);
                        return;
                    }
                    throw new MediumErrorException(lba, true, "write error at LBA " + lba
                            + " (automatic write reallocation is off)");
                }
                realloc.remap(lba, one, s != RemapTable.NOT_MAPPED, "write to pending block");
            } else if (s != RemapTable.NOT_MAPPED) {
                if (!realloc.tryWriteSpare(s, one, fua, attempts)) {
                    realloc.remap(lba, one, true, "spare " + s + " failed on write");
                }
            } else if (!tryWrite(data, lba, one, fua, attempts)) {
                if (!options.autoReallocateOnWrite()) {
                    throw new MediumErrorException(lba, true, "write error at LBA " + lba
                            + " (automatic write reallocation is off)");
                }
                realloc.remap(lba, one, false, "write error");
            }
        } finally {
            lock.unlock();
        }
    }

    private boolean tryWrite(BlockDevice dev, long devLba, ByteBuffer one, boolean fua, int attempts) {
        for (int a = 0; a < attempts; a++) {
            if (a > 0) {
                counters.retries.increment();
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

    // ------------------------------------------------------------------ administration and scrub

    /**
     * Moves {@code lba} to a new spare now, copying its data. If the block cannot be read, nothing is moved (that
     * would invent data): it is marked pending and the next write remaps it.
     *
     * @return the new spare, or -1 when the block was unreadable and marked pending instead
     */
    public long remapNow(long lba) throws IOException {
        checkRange(lba, 1);
        ReentrantLock lock = realloc.lockFor(lba);
        try {
            long s = table.get(lba);
            ByteBuffer one = ByteBuffer.allocate(bs);
            BlockDevice dev = s == RemapTable.NOT_MAPPED ? data : spare;
            long devLba = s == RemapTable.NOT_MAPPED ? lba : s;
            if (!readQuietly(dev, devLba, one)) {
                counters.readErrors.increment();
                realloc.markPending(lba, s);
                return -1;
            }
            return realloc.remap(lba, one, s != RemapTable.NOT_MAPPED, "manual remap");
        } finally {
            lock.unlock();
        }
    }

    /** Clears the pending mark of {@code lba}; returns false if it was not pending. */
    public boolean clearPending(long lba) throws IOException {
        checkRange(lba, 1);
        ReentrantLock lock = realloc.lockFor(lba);
        try {
            return realloc.clearPending(lba);
        } finally {
            lock.unlock();
        }
    }

    private boolean readQuietly(BlockDevice dev, long devLba, ByteBuffer one) {
        for (int a = 0; a <= options.readRetries(); a++) {
            try {
                dev.read(devLba, one.duplicate());
                return true;
            } catch (IOException e) {
                if (a > 0) {
                    counters.retries.increment();
                }
            }
        }
        return false;
    }

    /**
     * Patrol-reads {@code blocks} data blocks at {@code lba} (through the remap table, with retries); unreadable
     * ones are marked pending. Returns how many were unreadable.
     */
    public int verify(long lba, int blocks) throws IOException {
        checkRange(lba, blocks);
        ByteBuffer buf = ByteBuffer.allocate(blocks * bs);
        try {
            read(lba, buf);
            return 0;
        } catch (MediumErrorException e) {
            int bad = 0;
            ByteBuffer one = ByteBuffer.allocate(bs);
            for (long b = lba; b < lba + blocks; b++) {
                one.clear();
                try {
                    read(b, one);
                } catch (MediumErrorException m) {
                    bad++;
                }
            }
            return bad;
        }
    }

    /**
     * Patrol-reads spare {@code s}: a bad free spare is retired; a bad spare in use marks its LBA pending (the
     * next write moves it). Retired spares are skipped. Returns true if the spare read back.
     */
    public boolean verifySpare(long s) throws IOException {
        if (state.spares().isRetired(s)) {
            return true;
        }
        ByteBuffer one = ByteBuffer.allocate(bs);
        if (readQuietly(spare, s, one)) {
            return true;
        }
        counters.readErrors.increment();
        if (!realloc.retireFreeSpare(s)) {
            long[] owner = {-1};
            table.forEach((l, sp) -> {
                if (sp == s) {
                    owner[0] = l;
                }
            });
            if (owner[0] >= 0) {
                realloc.markPending(owner[0], s);
            }
        }
        return false;
    }

    /** Spare blocks in the spare area. */
    public long spareBlocks() {
        return state.spares().capacity();
    }

    /** Every remap, ordered by LBA. */
    public List<Remap> remaps() {
        List<Remap> out = new ArrayList<>();
        table.forEach((l, s) -> out.add(new Remap(l, s)));
        out.sort((a, b) -> Long.compare(a.lba(), b.lba()));
        return out;
    }

    /** Every pending LBA, ascending. */
    public List<Long> pending() {
        List<Long> out = new ArrayList<>();
        state.forEachPending(out::add);
        out.sort(null);
        return out;
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
