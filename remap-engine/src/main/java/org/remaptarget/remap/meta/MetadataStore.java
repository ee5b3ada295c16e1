package org.remaptarget.remap.meta;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.remaptarget.remap.device.BlockDevice;

/**
 * The crash-safe home of a volume's remap state: owns the metadata area (superblock copies, checkpoint copies A
 * and B, journal) and is the only writer of it.
 *
 * <p><b>Commit protocol.</b> {@link #commit} appends records to the journal and returns only when they are durable
 * and applied to the {@link RemapState}: the leader of a group flushes the data devices (so spare data written
 * before the records is durable first), writes every queued record into fresh journal blocks (a block holding
 * acknowledged records is never rewritten), flushes the metadata device, assigns and applies. Concurrent callers
 * queue behind the leader and are committed together by the next leader: one flush pair for many records.
 *
 * <p><b>Checkpoints.</b> When the journal cannot take the next group, and on clean close and on every open, the
 * whole state is written to the copy not holding the newest checkpoint, with a generation above every record, and
 * the journal starts over. Recovery: newest valid copy plus the consecutive valid journal records after it; a
 * record from a newer, lost checkpoint epoch refuses the open rather than silently dropping remaps.
 *
 * <p><b>Locks.</b> {@code queueLock} guards the queue and the {@code exclusive} flag; whoever set the flag (a commit
 * leader, a checkpoint, close) owns every other field and is the only thread mutating the state. Lookups of the
 * state never lock.
 */
public final class MetadataStore {
    private static final Logger LOG = LogManager.getLogger(MetadataStore.class);

    private final BlockDevice meta;
    private final List<BlockDevice> flushBeforeJournal;
    private final Superblock superblock;
    private final Layout layout;
    private final byte[] seed;
    private final RemapState state;
    private final CheckpointCodec codec;
    private final String name;

    private final Object queueLock = new Object();
    private List<Waiter> queue = new ArrayList<>(); // guarded by queueLock
    private boolean exclusive; // guarded by queueLock

    // owned by the holder of the exclusive section
    private long nextGeneration;
    private int newestCopy;
    private long journalCursor;
    private volatile boolean failed;
    private volatile boolean closed;
    private volatile long durableGeneration;
    private volatile long checkpointGeneration;
    private volatile long commitGroups;
    private volatile long recordsCommitted;
    private volatile long checkpointsWritten;

    private MetadataStore(BlockDevice meta, List<BlockDevice> flushBeforeJournal, Superblock sb, RemapState state,
                          String name) {
        this.meta = meta;
        this.flushBeforeJournal = List.copyOf(flushBeforeJournal);
        this.superblock = sb;
        this.layout = sb.layout();
        this.seed = sb.checksumSeed();
        this.state = state;
        this.codec = new CheckpointCodec(meta, layout, seed);
        this.name = name;
    }

    // ------------------------------------------------------------------ open

    /** What recovery found and did. */
    public record RecoveryReport(long checkpointGeneration, String checkpointCopy, long recordsReplayed,
                                 List<String> repairs, long newGeneration) {
    }

    /**
     * Recovers the state into {@code state} (which must be empty) from the newest valid checkpoint and the journal,
     * then writes a fresh checkpoint (repairing a bad copy). Throws {@link MetadataException} when nothing valid
     * exists or the metadata contradicts itself.
     *
     * @param meta               the metadata area (block 0 is superblock copy 0)
     * @param flushBeforeJournal devices holding spare data, flushed before every journal write
     */
    public static MetadataStore recover(BlockDevice meta, List<BlockDevice> flushBeforeJournal, Superblock sb,
                                        RemapState state, String name) throws IOException {
        MetadataStore s = new MetadataStore(meta, flushBeforeJournal, sb, state, name);
        s.report = s.doRecover();
        return s;
    }

    private RecoveryReport report;

    public RecoveryReport recoveryReport() {
        return report;
    }

    private RecoveryReport doRecover() throws IOException {
        CheckpointCodec.Image[] img = new CheckpointCodec.Image[2];
        String[] why = new String[2];
        for (int c = 0; c < 2; c++) {
            try {
                img[c] = codec.read(c, name + " checkpoint " + copyName(c));
            } catch (MetadataException e) {
                why[c] = e.getMessage();
            }
        }
        if (img[0] == null && img[1] == null) {
            throw new MetadataException(name + ": no valid checkpoint (" + why[0] + "; " + why[1]
                    + "); refusing to open rather than start empty over a volume that had metadata");
        }
        int newest = img[0] == null ? 1 : img[1] == null ? 0 : img[1].generation() > img[0].generation() ? 1 : 0;
        CheckpointCodec.Image im = img[newest];
        try {
            JournalReplay.load(state, im);
        } catch (IllegalStateException e) {
            throw new MetadataException(name + ": checkpoint " + copyName(newest) + " generation " + im.generation()
                    + " is inconsistent: " + e.getMessage());
        }
        long replayed = JournalReplay.replay(meta, layout, seed, state, im.generation(), name);
        List<String> repairs = new ArrayList<>();
        if (why[1 - newest] != null) {
            repairs.add(why[1 - newest]);
            LOG.warn("metadata repair: {}; rewriting it from checkpoint {} generation {} plus {} journal records",
                    why[1 - newest], copyName(newest), im.generation(), replayed);
        }
        newestCopy = newest;
        nextGeneration = im.generation() + replayed + 1;
        durableGeneration = nextGeneration - 1;
        writeCheckpoint();
        LOG.info("{}: recovered {} remaps, {} retired spares, {} pending from checkpoint {} generation {} + {} "
                        + "journal records; now at generation {}", name, state.table().size(),
                state.spares().retiredCount(), state.pendingCount(), copyName(newest), im.generation(), replayed,
                checkpointGeneration);
        return new RecoveryReport(im.generation(), copyName(newest), replayed, List.copyOf(repairs),
                checkpointGeneration);
    }

    private static String copyName(int c) {
        return c == 0 ? "A" : "B";
    }

    // ------------------------------------------------------------------ run time

    public Superblock superblock() {
        return superblock;
    }

    public RemapState state() {
        return state;
    }

    /** Generation of the newest durable record or checkpoint. */
    public long durableGeneration() {
        return durableGeneration;
    }

    public long checkpointGeneration() {
        return checkpointGeneration;
    }

    /** Counters of the journal: groups (flush pairs), records, checkpoints. */
    public record Counters(long commitGroups, long records, long checkpoints, long journalBlocksUsed,
                           long journalBlocks) {
    }

    public Counters counters() {
        return new Counters(commitGroups, recordsCommitted, checkpointsWritten, journalCursor,
                layout.journalBlocks());
    }

    /**
     * Makes {@code records} durable (after flushing the data devices) and applies them to the state, in order,
     * atomically with respect to checkpoints. Blocks until done; concurrent callers share flushes.
     *
     * @throws IOException if the metadata could not be written (nothing of this call was applied)
     */
    public void commit(List<JournalRecord> records) throws IOException {
        if (records.isEmpty()) {
            return;
        }
        if (records.size() > layout.journalBlocks() * layout.recordsPerBlock()) {
            throw new IllegalArgumentException("too many records for one commit: " + records.size());
        }
        Waiter me = new Waiter(records);
        List<Waiter> batch;
        synchronized (queueLock) {
            queue.add(me);
            boolean interrupted = false;
            while (!me.done && exclusive) {
                try {
                    queueLock.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (me.done) {
                me.result();
                return;
            }
            exclusive = true;
            batch = queue;
            queue = new ArrayList<>();
        }
        try {
            writeBatch(batch);
        } finally {
            release();
        }
        me.result();
    }

    private void release() {
        synchronized (queueLock) {
            exclusive = false;
            queueLock.notifyAll();
        }
    }

    private void acquire() {
        synchronized (queueLock) {
            boolean interrupted = false;
            while (exclusive) {
                try {
                    queueLock.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            exclusive = true;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void writeBatch(List<Waiter> batch) {
        int i = 0;
        while (i < batch.size()) {
            if (failed || closed) {
                for (int k = i; k < batch.size(); k++) {
                    batch.get(k).fail(new IOException(name + ": metadata store is " + (closed ? "closed"
                            : "failed after a metadata write error; reopen the volume")));
                }
                return;
            }
            long free = (layout.journalBlocks() - journalCursor) * layout.recordsPerBlock();
            int j = i;
            long n = 0;
            while (j < batch.size() && n + batch.get(j).records.size() <= free) {
                n += batch.get(j).records.size();
                j++;
            }
            if (j == i) {
                try {
                    writeCheckpoint();
                } catch (IOException e) {
                    markFailed(e);
                }
                continue;
            }
            List<Waiter> round = batch.subList(i, j);
            try {
                writeRound(round, (int) n);
            } catch (IOException e) {
                markFailed(e);
                for (Waiter w : round) {
                    if (!w.done) {
                        w.fail(e);
                    }
                }
            }
            i = j;
        }
    }

    private void markFailed(IOException e) {
        if (!failed) {
            failed = true;
            LOG.error("{}: metadata write failed; no further remaps until reopened: {}", name, e.toString());
        }
    }

    private void writeRound(List<Waiter> round, int n) throws IOException {
        for (BlockDevice d : flushBeforeJournal) {
            d.flush();
        }
        int per = layout.recordsPerBlock();
        int blocks = (n + per - 1) / per;
        ByteBuffer buf = ByteBuffer.allocate(blocks * layout.blockSize());
        long gen = nextGeneration;
        List<JournalRecord> assigned = new ArrayList<>(n);
        for (Waiter w : round) {
            for (JournalRecord r : w.records) {
                JournalRecord g = r.withGeneration(gen++);
                assigned.add(g);
                g.encode(buf, seed);
            }
        }
        buf.clear();
        meta.write(layout.journalStart() + journalCursor, buf, false);
        meta.flush();
        journalCursor += blocks;
        nextGeneration = gen;
        durableGeneration = gen - 1;
        commitGroups++;
        recordsCommitted += n;
        int k = 0;
        for (Waiter w : round) {
            IllegalStateException bug = null;
            for (int r = 0; r < w.records.size(); r++) {
                try {
                    state.apply(assigned.get(k++), false);
                } catch (IllegalStateException e) {
                    bug = e;
                }
            }
            if (bug != null) {
                w.fail(new IOException(name + ": record contradicts the remap state: " + bug.getMessage(), bug));
            } else {
                w.succeed();
            }
        }
    }

    /** Writes the whole state to the copy not holding the newest checkpoint and restarts the journal. */
    private void writeCheckpoint() throws IOException {
        long gen = nextGeneration++;
        long mappings = state.table().size();
        long retired = state.spares().retiredCount();
        long pending = state.pendingCount();
        int total = (int) (mappings + retired + pending);
        long[] lbas = new long[total];
        long[] spares = new long[total];
        int[] idx = {0};
        state.table().forEach((lba, spare) -> {
            if (idx[0] < mappings) {
                lbas[idx[0]] = lba;
                spares[idx[0]++] = spare;
            }
        });
        if (idx[0] != mappings) {
            throw new IllegalStateException("table size " + mappings + " but iterated " + idx[0]);
        }
        state.spares().forEachRetired(s -> {
            lbas[idx[0]] = -1;
            spares[idx[0]++] = s;
        });
        long[] pend = new long[(int) pending];
        int[] p = {0};
        state.forEachPending(l -> {
            if (p[0] < pend.length) {
                pend[p[0]++] = l;
            }
        });
        for (int i = 0; i < p[0]; i++) {
            lbas[idx[0]] = pend[i];
            spares[idx[0]++] = -1;
        }
        int copy = 1 - newestCopy;
        codec.write(copy, gen, mappings, retired, p[0], lbas, spares);
        newestCopy = copy;
        journalCursor = 0;
        checkpointGeneration = gen;
        durableGeneration = gen;
        checkpointsWritten++;
        LOG.debug("{}: checkpoint {} generation {} written ({} remaps)", name, copyName(copy), gen, mappings);
    }

    /** Writes a checkpoint now (e.g. before a planned shutdown of the host). */
    public void checkpoint() throws IOException {
        acquire();
        try {
            if (failed || closed) {
                throw new IOException(name + ": metadata store is not writable");
            }
            writeCheckpoint();
        } finally {
            release();
        }
    }

    /** Clean close: a final checkpoint, then no more commits. Idempotent. */
    public void close() throws IOException {
        acquire();
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (!failed) {
                writeCheckpoint();
            }
        } finally {
            release();
        }
    }

    private static final class Waiter {
        final List<JournalRecord> records;
        volatile boolean done;
        IOException error;

        Waiter(List<JournalRecord> records) {
            this.records = List.copyOf(records);
        }

        void succeed() {
            done = true;
        }

        void fail(IOException e) {
            error = e;
            done = true;
        }

        void result() throws IOException {
            if (error != null) {
                throw new IOException(error.getMessage(), error);
            }
        }
    }
}
