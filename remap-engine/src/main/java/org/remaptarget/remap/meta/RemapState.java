package org.remaptarget.remap.meta;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;
import org.remaptarget.remap.spare.SpareAllocator;
import org.remaptarget.remap.table.RemapTable;

/**
 * The persistent remap state in memory: the table (remapped LBA to spare), the spare allocator and the pending
 * set. The one place where a {@link JournalRecord} changes that state, both when recovering and when a commit
 * becomes durable, so recovery and run time cannot drift apart.
 *
 * <p>Invariants (violations are corrupt metadata during recovery, bugs at run time): every mapped spare is in use in
 * the allocator and named by exactly one mapping; a retired spare is never mapped; LBAs and spares are in range;
 * at most {@link #pendingCapacity()} blocks are pending. Mutations happen only under the metadata store's
 * exclusive commit section; lookups are lock-free.
 */
public final class RemapState {
    private final RemapTable table;
    private final SpareAllocator spares;
    private final Set<Long> pending = ConcurrentHashMap.newKeySet();
    private final long dataBlocks;
    private final long pendingCapacity;

    public RemapState(RemapTable table, SpareAllocator spares, long dataBlocks, long pendingCapacity) {
        this.table = table;
        this.spares = spares;
        this.dataBlocks = dataBlocks;
        this.pendingCapacity = pendingCapacity;
    }

    public RemapTable table() {
        return table;
    }

    public SpareAllocator spares() {
        return spares;
    }

    public long dataBlocks() {
        return dataBlocks;
    }

    public long pendingCapacity() {
        return pendingCapacity;
    }

    /** The spare holding {@code lba}, or {@link RemapTable#NOT_MAPPED}. */
    public long spareOf(long lba) {
        return table.get(lba);
    }

    public boolean isPending(long lba) {
        return !pending.isEmpty() && pending.contains(lba);
    }

    public boolean hasPending() {
        return !pending.isEmpty();
    }

    public int pendingCount() {
        return pending.size();
    }

    /** True when another pending mark can be persisted. */
    public boolean pendingHasRoom() {
        return pending.size() < pendingCapacity;
    }

    public void forEachPending(LongConsumer action) {
        for (Long l : pending) {
            action.accept(l);
        }
    }

    /**
     * Applies one record.
     *
     * @param recovering true while rebuilding from disk (the spare of a MAP is not yet allocated), false at run
     *                   time (the engine allocated it before writing the record)
     * @throws IllegalStateException if the record contradicts the state (corrupt metadata or a bug)
     */
    public void apply(JournalRecord r, boolean recovering) {
        switch (r.op()) {
            case MAP -> {
                checkLba(r.lba());
                checkSpare(r.spare());
                if (recovering) {
                    spares.markUsed(r.spare());
                } else if (!spares.isUsed(r.spare())) {
                    throw new IllegalStateException("MAP of LBA " + r.lba() + " to spare " + r.spare()
                            + " that was not allocated");
                }
                long old = table.put(r.lba(), r.spare());
                if (old != RemapTable.NOT_MAPPED && old != r.spare()) {
                    if ((r.flags() & JournalRecord.RETIRE_PREVIOUS) != 0) {
                        spares.markRetired(old);
                    } else {
                        spares.release(old);
                    }
                } else if (old == r.spare()) {
                    throw new IllegalStateException("LBA " + r.lba() + " mapped twice to spare " + old);
                }
                pending.remove(r.lba());
            }
            case RETIRE -> {
                checkSpare(r.spare());
                if (!recovering && !spares.isUsed(r.spare())) {
                    throw new IllegalStateException("RETIRE of spare " + r.spare() + " that was not reserved");
                }
                spares.markRetired(r.spare());
            }
            case PENDING -> {
                checkLba(r.lba());
                pending.add(r.lba());
            }
            case CLEAR_PENDING -> {
                checkLba(r.lba());
                pending.remove(r.lba());
            }
            default -> throw new IllegalStateException("unknown op " + r.op());
        }
    }

    private void checkLba(long lba) {
        if (lba < 0 || lba >= dataBlocks) {
            throw new IllegalStateException("LBA " + lba + " outside the data area of " + dataBlocks + " blocks");
        }
    }

    private void checkSpare(long spare) {
        if (spare < 0 || spare >= spares.capacity()) {
            throw new IllegalStateException("spare " + spare + " outside the spare area of " + spares.capacity());
        }
    }
}
