package org.remaptarget.remap.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.remaptarget.remap.device.BlockDevice;
import org.remaptarget.remap.device.MediumErrorException;
import org.remaptarget.remap.meta.RemapState;
import org.remaptarget.remap.stats.EngineCounters;
import org.remaptarget.remap.table.RemapTable;

/**
 * Operator and patrol operations on a {@link RemappingBlockDevice}: remap a block now, clear a pending mark, list
 * remaps and pending blocks, and the scrub's verification reads. Owns nothing; every change goes through the
 * engine's {@link Reallocator} under the block's stripe lock, like the I/O path's own remaps.
 */
public final class VolumeMaintenance {
    private final RemappingBlockDevice engine;
    private final BlockDevice data;
    private final BlockDevice spare;
    private final RemapState state;
    private final RemapTable table;
    private final Reallocator realloc;
    private final EngineCounters counters;

    public VolumeMaintenance(RemappingBlockDevice engine) {
        this.engine = engine;
        this.data = engine.dataArea();
        this.spare = engine.spareArea();
        this.state = engine.state();
        this.table = state.table();
        this.realloc = engine.reallocator();
        this.counters = engine.counters();
    }

    /** The device maintained. */
    public RemappingBlockDevice device() {
        return engine;
    }

    /** Data blocks of the volume. */
    public long dataBlocks() {
        return engine.blockCount();
    }

    /**
     * Moves {@code lba} to a new spare now, copying its data. If the block cannot be read, nothing is moved (that
     * would invent data): it is marked pending and the next write remaps it.
     *
     * @return the new spare, or -1 when the block was unreadable and marked pending instead
     */
    public long remapNow(long lba) throws IOException {
        engine.checkRange(lba, 1);
        realloc.openFence(); // before the copy is read: a concurrent fast-path write must be redone after us
        ReentrantLock lock = realloc.lockFor(lba);
        try {
            long s = table.get(lba);
            ByteBuffer one = ByteBuffer.allocate(engine.blockSize());
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
            realloc.closeFence();
        }
    }

    /** Clears the pending mark of {@code lba}; returns false if it was not pending. */
    public boolean clearPending(long lba) throws IOException {
        engine.checkRange(lba, 1);
        ReentrantLock lock = realloc.lockFor(lba);
        try {
            return realloc.clearPending(lba);
        } finally {
            lock.unlock();
        }
    }

    private boolean readQuietly(BlockDevice dev, long devLba, ByteBuffer one) {
        for (int a = 0; a <= engine.options().readRetries(); a++) {
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
        engine.checkRange(lba, blocks);
        ByteBuffer buf = ByteBuffer.allocate(blocks * engine.blockSize());
        try {
            engine.read(lba, buf);
            return 0;
        } catch (MediumErrorException e) {
            int bad = 0;
            ByteBuffer one = ByteBuffer.allocate(engine.blockSize());
            for (long b = lba; b < lba + blocks; b++) {
                one.clear();
                try {
                    engine.read(b, one);
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
        ByteBuffer one = ByteBuffer.allocate(engine.blockSize());
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

    /** Spare blocks neither used nor retired: how many more blocks can be moved. */
    public long freeSpares() {
        return state.spares().freeCount();
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
}
