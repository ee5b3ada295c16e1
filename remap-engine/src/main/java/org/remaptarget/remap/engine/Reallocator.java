package org.remaptarget.remap.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.remaptarget.remap.device.BlockDevice;
import org.remaptarget.remap.device.ReallocationFailedException;
import org.remaptarget.remap.meta.JournalRecord;
import org.remaptarget.remap.meta.MetadataStore;
import org.remaptarget.remap.meta.RemapState;
import org.remaptarget.remap.spare.SpareAllocator;
import org.remaptarget.remap.stats.EngineCounters;
import org.remaptarget.remap.stats.HealthMonitor;
import org.remaptarget.remap.stats.Listeners;
import org.remaptarget.remap.table.RemapTable;

/**
 * The slow path of the engine: moving a block to a spare, marking and clearing pending blocks, retiring spares.
 *
 * <p>Owns the stripe locks (one per group of LBAs; every change to one LBA's mapping or pending mark happens under
 * its stripe) and the remap fence ({@code active}, {@code version}): a fast-path write that overlapped any remap
 * is redone under the stripe lock, so an acknowledged write can never be overtaken by a remap that copied older
 * data. Durable ordering of a remap: data on the spare, then the journal record (the store flushes the spare first
 * and fsyncs the record), then the table publishes it. A spare that fails while being filled is retired and the
 * next one tried; after {@link #MAX_SPARE_TRIES} failures in a row the spare area itself is presumed failing (or
 * the device gone) and the write fails with a plain I/O error, retiring nothing, so an outage cannot burn every
 * spare.
 */
final class Reallocator {
    private static final Logger LOG = LogManager.getLogger(Reallocator.class);
    private static final int STRIPES = 64;
    /** Spares tried for one remap before the spare area itself is presumed failing. */
    static final int MAX_SPARE_TRIES = 3;

    private final BlockDevice spare;
    private final RemapState state;
    private final RemapTable table;
    private final SpareAllocator allocator;
    private final MetadataStore store;
    private final EngineCounters counters;
    private final Listeners listeners;
    private final HealthMonitor health;
    private final String name;
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicLong version = new AtomicLong();

    Reallocator(BlockDevice spare, MetadataStore store, EngineCounters counters, Listeners listeners,
                HealthMonitor health, String name) {
        this.spare = spare;
        this.store = store;
        this.state = store.state();
        this.table = state.table();
        this.allocator = state.spares();
        this.counters = counters;
        this.listeners = listeners;
        this.health = health;
        this.name = name;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /** Fence token taken before a fast-path write; -1 if a remap is running (go slow at once). */
    long fenceBefore() {
        long v = version.get();
        return active.get() == 0 ? v : -1;
    }

    /** True if a write that took {@code token} did not overlap any remap. */
    boolean fenceHeld(long token) {
        return token >= 0 && active.get() == 0 && version.get() == token;
    }

    /**
     * Raises the remap fence around work that reads a block before remapping it ({@code remapNow}): a fast-path
     * write overlapping it is redone under the stripe lock, so the copy can never be older than an acknowledged
     * write. Pair with {@link #closeFence()}.
     */
    void openFence() {
        active.incrementAndGet();
        version.incrementAndGet();
    }

    void closeFence() {
        active.decrementAndGet();
    }

    ReentrantLock lockFor(long lba) {
        long h = lba * 0x9E3779B97F4A7C15L;
        ReentrantLock l = stripes[(int) (h >>> 58)];
        l.lock();
        return l;
    }

    /** Writes one block to spare {@code s}, trying {@code attempts} times. */
    boolean tryWriteSpare(long s, ByteBuffer block, boolean fua, int attempts) {
        for (int a = 0; a < attempts; a++) {
            if (a > 0) {
                counters.retries.increment();
            }
            try {
                spare.write(s, block.duplicate(), fua);
                return true;
            } catch (IOException e) {
                counters.writeErrors.increment();
                LOG.debug("{}: spare {} write attempt {} failed: {}", name, s, a + 1, e.toString());
            }
        }
        return false;
    }

    /**
     * Moves {@code lba} to a fresh spare holding {@code block}, durably. Caller holds {@code lba}'s stripe lock.
     *
     * @param retirePrevious the spare currently holding {@code lba} (if any) failed and is retired, not freed
     * @return the new spare
     * @throws ReallocationFailedException when no spare is left
     * @throws IOException                 when the metadata could not be written (nothing changed)
     */
    long remap(long lba, ByteBuffer block, boolean retirePrevious, String reason) throws IOException {
        active.incrementAndGet();
        version.incrementAndGet();
        try {
            List<JournalRecord> records = new ArrayList<>(2);
            List<Long> failed = new ArrayList<>(1);
            long s;
            while (true) {
                s = allocator.allocate();
                if (s < 0) {
                    commitRetirements(records, failed);
                    counters.reallocationFailures.increment();
                    updateHealth();
                    LOG.error("{}: LBA {} needs reallocation ({}) but no spare block is left", name, lba, reason);
                    throw new ReallocationFailedException(lba);
                }
                if (tryWriteSpare(s, block, false, 2)) {
                    break;
                }
                records.add(JournalRecord.retire(s));
                failed.add(s);
                if (failed.size() >= MAX_SPARE_TRIES) {
                    // not a bad spare but a failing spare area (or device): retiring more would burn them all
                    failed.forEach(allocator::release);
                    LOG.error("{}: LBA {} needs reallocation ({}) but {} spares in a row failed to write; spare "
                            + "area not writable", name, lba, reason, MAX_SPARE_TRIES);
                    throw new IOException(name + ": LBA " + lba + " could not be reallocated: " + MAX_SPARE_TRIES
                            + " spares in a row failed to write");
                }
            }
            long previous = table.get(lba);
            records.add(JournalRecord.map(lba, s, retirePrevious ? JournalRecord.RETIRE_PREVIOUS : 0));
            try {
                store.commit(records);
            } catch (IOException e) {
                allocator.release(s);
                failed.forEach(allocator::release);
                throw e;
            }
            counters.remaps.increment();
            for (long f : failed) {
                announceRetired(f);
            }
            if (retirePrevious && previous != RemapTable.NOT_MAPPED) {
                announceRetired(previous);
            }
            LOG.warn("{}: LBA {} remapped to spare {} ({}){}", name, lba, s, reason,
                    previous == RemapTable.NOT_MAPPED ? "" : "; previous spare " + previous
                            + (retirePrevious ? " retired" : " freed"));
            final long fs = s;
            listeners.fire(l -> l.remapped(lba, fs, previous, reason));
            updateHealth();
            return s;
        } finally {
            active.decrementAndGet();
        }
    }

    private void commitRetirements(List<JournalRecord> records, List<Long> failed) {
        if (records.isEmpty()) {
            return;
        }
        try {
            store.commit(records);
            failed.forEach(this::announceRetired);
        } catch (IOException e) {
            failed.forEach(allocator::release);
            LOG.warn("{}: could not record retired spares {}: {}", name, failed, e.toString());
        }
    }

    private void announceRetired(long s) {
        counters.sparesRetired.increment();
        LOG.warn("{}: spare {} retired after it failed", name, s);
        listeners.fire(l -> l.spareRetired(s));
    }

    /** Retires a free spare found bad by a scrub; false if it is not free. */
    boolean retireFreeSpare(long s) throws IOException {
        if (!allocator.reserve(s)) {
            return false;
        }
        try {
            store.commit(List.of(JournalRecord.retire(s)));
        } catch (IOException e) {
            allocator.release(s);
            throw e;
        }
        announceRetired(s);
        updateHealth();
        return true;
    }

    /**
     * Marks {@code lba} pending (best effort: a metadata failure is logged, the caller reports its error anyway),
     * unless it moved since the failed read: {@code failedSpare} is the spare that failed, or NOT_MAPPED for the
     * primary block.
     */
    void markPending(long lba, long failedSpare) {
        ReentrantLock lock = lockFor(lba);
        try {
            if (table.get(lba) == failedSpare) {
                markPendingLocked(lba);
            }
        } finally {
            lock.unlock();
        }
    }

    private void markPendingLocked(long lba) {
        if (state.isPending(lba)) {
            return;
        }
        if (!state.pendingHasRoom()) {
            LOG.warn("{}: LBA {} unreadable but the pending list is full ({} blocks)", name, lba,
                    state.pendingCapacity());
            return;
        }
        try {
            store.commit(List.of(JournalRecord.pending(lba)));
        } catch (IOException e) {
            LOG.warn("{}: could not record LBA {} as pending: {}", name, lba, e.toString());
            return;
        }
        LOG.warn("{}: LBA {} unreadable; marked pending reallocation", name, lba);
        listeners.fire(l -> l.pendingMarked(lba));
    }

    /** Clears the pending mark of {@code lba}; caller holds the stripe lock. Returns false if it was not pending. */
    boolean clearPending(long lba) throws IOException {
        if (!state.isPending(lba)) {
            return false;
        }
        store.commit(List.of(JournalRecord.clearPending(lba)));
        LOG.info("{}: pending mark of LBA {} cleared", name, lba);
        listeners.fire(l -> l.pendingCleared(lba));
        return true;
    }

    void updateHealth() {
        health.update(allocator.usedCount() + allocator.retiredCount(), allocator.capacity());
    }
}
