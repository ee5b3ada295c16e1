package org.remaptarget.remap.table;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The remap table: bad LBA to spare block, a separately chained hash over primitive arrays, resized by the
 * dm-remap integer load rule ({@link TablePolicy}) and rehashed incrementally.
 *
 * <p><b>Owns</b> an {@link EntryPool} (key, value, link per slot: 20 bytes) and one or two {@link BucketArray}
 * generations. In a stable table there is one generation. A resize decision creates the next generation (a small
 * directory; chunks appear as they are written) and from then on every mutation first rehashes the old bucket its
 * key falls in, then a quota of old buckets in order; when every old bucket is rehashed the old generation is
 * dropped. The quota is computed at the decision so that rehashing always ends before the count can reach the
 * next grow or shrink point, so per-operation work is bounded by the policy, never by the table size.
 *
 * <p><b>Rehashing one old bucket</b> copies its entries into fresh slots, links the copies into the next
 * generation (release) and marks the old head {@link BucketArray#MOVED} (release). Once per mutation the reuse
 * sequence is bumped and only then are the old slots freed. Old chains are never relinked in place, so a reader
 * walking one is never diverted.
 *
 * <p><b>Readers</b> ({@link #get}) take no lock and never wait. They read the reuse sequence, walk the chain
 * (old generation, or next generation if the old bucket is MOVED) with acquire loads, and then check the sequence
 * again. The only writes that can mislead a walker are writes into freed slots and the release of emptied entry
 * chunks, and every freeing is preceded by a sequence bump, so a changed sequence means "retry", an unchanged one
 * means the walk saw only entries that were linked at some instant during it. Inserts, value updates and unlinks never bump the sequence, so lookups
 * retry only when they overlap a removal or a rehash step (seqlock validation, as in StampedLock's optimistic
 * reads, but with no writer-held state a reader could wait on).
 *
 * <p><b>Locks</b>: one {@link ReentrantLock} serialises mutations, {@link #forEach}, resize logging and listener
 * calls. Listeners run under it, after the structure is consistent; they may read the table and may mutate it.
 */
public final class IncrementalRemapTable implements RemapTable {

    private static final Logger LOG = LogManager.getLogger(IncrementalRemapTable.class);

    private static final VarHandle SEQ;
    static {
        try {
            SEQ = MethodHandles.lookup().findVarHandle(IncrementalRemapTable.class, "reuseSequence", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Hops after which a reader re-checks the sequence (guards against cycling through recycled slots). */
    private static final int HOPS_BETWEEN_CHECKS = 64;
    /** Keys per batch of {@link #lookUpAll}: enough independent misses in flight to fill the load buffers. */
    private static final int BATCH = 64;
    /** Chain hops a batch walks for each key before leaving the rest of its chain to get. */
    private static final int BATCH_HOPS = 4;
    /** Batch answers "walk this chain with get" and "still walking" (spares and NOT_MAPPED are never these). */
    private static final long ASK_GET = Long.MIN_VALUE;
    private static final long WALKING = Long.MIN_VALUE + 1;
    /** Minimum old buckets rehashed per mutation while a resize is in progress. */
    private static final int MIN_QUOTA = 2;

    /**
     * The generations readers use: {@code old} is non-null only while a resize is in progress. The chunk
     * directories and masks are copied out so that a lookup reaches a bucket head in as few dependent loads as
     * possible.
     */
    private static final class Generations {
        final BucketArray current;
        final BucketArray old;
        final int[] currentFlat;
        final int[][] currentChunks;
        final int currentMask;
        final int[] oldFlat;
        final int[][] oldChunks;
        final int oldMask;

        Generations(BucketArray current, BucketArray old) {
            this.current = current;
            this.old = old;
            this.currentFlat = current.singleChunk();
            this.currentChunks = current.directory();
            this.currentMask = current.mask;
            this.oldFlat = old == null ? null : old.singleChunk();
            this.oldChunks = old == null ? null : old.directory();
            this.oldMask = old == null ? 0 : old.mask;
        }

        int currentHeadAcquire(int h) {
            int[] flat = currentFlat;
            return flat != null ? BucketArray.headAcquire(flat, h & currentMask)
                    : BucketArray.headAcquire(currentChunks, h & currentMask);
        }

        int oldHeadAcquire(int h) {
            int[] flat = oldFlat;
            return flat != null ? BucketArray.headAcquire(flat, h & oldMask)
                    : BucketArray.headAcquire(oldChunks, h & oldMask);
        }
    }

    private final TablePolicy policy;
    private final EntryPool pool = new EntryPool();
    private final ReentrantLock lock = new ReentrantLock();
    private final List<ResizeListener> listeners = new CopyOnWriteArrayList<>();

    private volatile Generations generations;
    private volatile long count;
    /** Bumped before any slot that was ever reachable is overwritten. */
    @SuppressWarnings("unused") // accessed through SEQ
    private volatile long reuseSequence;

    // ---- writer-only state (guarded by lock) ----
    /** Old chains rehashed but not yet freed: freed together after one sequence bump. */
    private final int[] pendingChains = new int[64];
    private int pendingCount;
    private int cursor;
    private int quota;
    private boolean iterating;
    private long resizeCount;
    private long forcedCompletions;
    private long opBuckets;
    private long opEntries;
    private long maxOpBuckets;
    private long maxOpEntries;

    /** A table with {@link TablePolicy#defaults()}. */
    public IncrementalRemapTable() {
        this(TablePolicy.defaults());
    }

    public IncrementalRemapTable(TablePolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.generations = new Generations(new BucketArray(policy.minBuckets()), null);
    }

    /**
     * The table's hash: a Fibonacci multiply, with the well-mixed high half folded onto the low bits the bucket
     * masks use, so runs of adjacent or power-of-two-strided LBAs spread over buckets. One multiply keeps it off
     * the lookup's critical path.
     */
    static long hash(long lba) {
        long h = lba * 0x9E3779B97F4A7C15L;
        return h ^ (h >>> 32);
    }

    // ------------------------------------------------------------------------------------------------ readers

    @Override
    public long get(long lba) {
        final int h = (int) hash(lba);
        restart:
        for (;;) {
            final long stamp = (long) SEQ.getAcquire(this);
            final Generations g = generations;
            int link;
            if (g.old != null) {
                link = g.oldHeadAcquire(h);
                if (link == BucketArray.MOVED) {
                    link = g.currentHeadAcquire(h);
                }
            } else {
                link = g.currentHeadAcquire(h);
            }
            long result = NOT_MAPPED;
            if (link != EntryPool.END) {
                // directories read after the acquire of the head: they show every chunk the head can lead to,
                // except on stale paths through recycled slots, where a reload (and failing that a restart) follows
                long[][] kvDir = pool.kvDirectory();
                int[][] linkDir = pool.linkDirectory();
                int hops = 0;
                do {
                    if (link < 0) {
                        continue restart; // a MOVED mark: this reader's generation became the old one
                    }
                    final int slot = link - 1;
                    final int c = EntryPool.chunkOf(slot);
                    long[] kv = c < kvDir.length ? kvDir[c] : null;
                    if (kv == null) {
                        kvDir = pool.kvDirectory();
                        kv = c < kvDir.length ? kvDir[c] : null;
                        if (kv == null) {
                            continue restart; // a recycled link this reader cannot resolve: stale path
                        }
                    }
                    int[] links = c < linkDir.length ? linkDir[c] : null;
                    if (links == null) {
                        linkDir = pool.linkDirectory();
                        links = c < linkDir.length ? linkDir[c] : null;
                        if (links == null) {
                            continue restart;
                        }
                    }
                    // the link is loaded before the key compare so that its cache miss overlaps the key's
                    final int nextLink = EntryPool.linkIn(links, slot);
                    if (EntryPool.keyIn(kv, slot) == lba) {
                        result = EntryPool.valueIn(kv, slot);
                        break;
                    }
                    link = nextLink;
                    if (++hops % HOPS_BETWEEN_CHECKS == 0) {
                        VarHandle.acquireFence();
                        if ((long) SEQ.getOpaque(this) != stamp) {
                            continue restart;
                        }
                    }
                } while (link != EntryPool.END);
            }
            VarHandle.acquireFence();
            if ((long) SEQ.getOpaque(this) == stamp) {
                return result;
            }
        }
    }

    /**
     * Looks the keys up in batches of {@value #BATCH}, a step at a time for the whole batch: every bucket head
     * first, then the first entry of every chain, then the second, and so on, so the cache misses of independent
     * lookups overlap instead of following one another (a 1 MiB read over one block in 20 remapped asks for about a
     * hundred LBAs at once, and the page-cache copies between requests have evicted the table). Each answer is what
     * {@link #get} would give: a batch is accepted only if the reuse sequence did not change while it ran (the same
     * validation as {@code get}); during a resize a key's old bucket is read first and its new one if the old is
     * marked moved, as {@code get} does. Chains are walked at most {@value #BATCH_HOPS} hops; longer chains, MOVED
     * marks met on a new bucket and links to chunks this reader does not see yet are left to {@code get}, key by
     * key, as is a whole batch that overlapped a removal or rehash step.
     */
    @Override
    public void lookUpAll(long[] keys, int from, int to) {
        if (to - from < 2) {
            RemapTable.super.lookUpAll(keys, from, to);
            return;
        }
        int[] links = new int[Math.min(BATCH, to - from)];
        long[] found = new long[links.length];
        for (int b = from; b < to; b += BATCH) {
            int e = Math.min(to, b + BATCH);
            if (!lookUpBatch(keys, b, e, links, found)) {
                for (int i = b; i < e; i++) {
                    keys[i] = get(keys[i]);
                }
            }
        }
    }

    /** One batch of {@link #lookUpAll}; false (nothing written) when it must be done key by key. */
    private boolean lookUpBatch(long[] keys, int b, int e, int[] links, long[] found) {
        final long stamp = (long) SEQ.getAcquire(this);
        final Generations g = generations;
        if (g.old == null) {
            for (int i = b; i < e; i++) {
                links[i - b] = g.currentHeadAcquire((int) hash(keys[i]));
            }
        } else { // a resize in progress (it ends only with later mutations): the old bucket, or its new one if moved
            for (int i = b; i < e; i++) {
                links[i - b] = g.oldHeadAcquire((int) hash(keys[i]));
            }
            for (int i = b; i < e; i++) {
                if (links[i - b] == BucketArray.MOVED) {
                    links[i - b] = g.currentHeadAcquire((int) hash(keys[i]));
                }
            }
        }
        // directories read after the heads' acquires, as in get
        final long[][] kvDir = pool.kvDirectory();
        final int[][] linkDir = pool.linkDirectory();
        int walking = 0;
        for (int i = b; i < e; i++) {
            boolean empty = links[i - b] == EntryPool.END;
            found[i - b] = empty ? NOT_MAPPED : WALKING;
            walking += empty ? 0 : 1;
        }
        for (int hop = 0; hop < BATCH_HOPS && walking > 0; hop++) {
            walking = 0;
            for (int i = b; i < e; i++) {
                if (found[i - b] != WALKING) {
                    continue;
                }
                int link = links[i - b];
                if (link < 0) {
                    found[i - b] = ASK_GET; // a MOVED mark where this batch read the current generation
                    continue;
                }
                int slot = link - 1;
                int c = EntryPool.chunkOf(slot);
                long[] kv = c < kvDir.length ? kvDir[c] : null;
                int[] next = c < linkDir.length ? linkDir[c] : null;
                if (kv == null || next == null) {
                    found[i - b] = ASK_GET; // a chunk this reader's directories do not show yet
                    continue;
                }
                int nextLink = EntryPool.linkIn(next, slot); // loaded before the key compare, as in get
                if (EntryPool.keyIn(kv, slot) == keys[i]) {
                    found[i - b] = EntryPool.valueIn(kv, slot);
                } else if (nextLink == EntryPool.END) {
                    found[i - b] = NOT_MAPPED;
                } else {
                    links[i - b] = nextLink;
                    walking++;
                }
            }
        }
        VarHandle.acquireFence();
        if ((long) SEQ.getOpaque(this) != stamp) {
            return false;
        }
        for (int i = b; i < e; i++) {
            long r = found[i - b];
            keys[i] = r == ASK_GET || r == WALKING ? get(keys[i]) : r;
        }
        return true;
    }

    @Override
    public long size() {
        return count;
    }

    @Override
    public long bucketCount() {
        return generations.current.length;
    }

    /** Resize decisions taken so far (each logged, and delivered to listeners). */
    public long resizeCount() {
        lock.lock();
        try {
            return resizeCount;
        } finally {
            lock.unlock();
        }
    }

    /** True while an old bucket generation is still being rehashed. */
    public boolean isResizing() {
        return generations.old != null;
    }

    public TablePolicy policy() {
        return policy;
    }

    /**
     * An estimate of the bytes held by this table's arrays: entry chunks and directories, and the chunks of the
     * bucket generations present (both during a resize). Assumes compressed references; object headers of the few
     * bookkeeping objects are ignored.
     */
    public long memoryBytes() {
        lock.lock();
        try {
            Generations g = generations;
            return pool.memoryBytes() + g.current.memoryBytes() + (g.old == null ? 0 : g.old.memoryBytes());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void addResizeListener(ResizeListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Calls {@code action} for every mapping. Runs under the mutation lock, so it sees an exact snapshot and
     * mutations from other threads wait for it (lookups do not). The action must not mutate this table: doing so
     * throws {@link IllegalStateException}.
     */
    @Override
    public void forEach(EntryConsumer action) {
        Objects.requireNonNull(action, "action");
        lock.lock();
        try {
            iterating = true;
            Generations g = generations;
            if (g.old != null) {
                for (int b = 0; b < g.old.length; b++) {
                    int head = g.old.head(b);
                    if (head != BucketArray.MOVED) {
                        visitChain(head, action);
                    }
                }
            }
            for (int b = 0; b < g.current.length; b++) {
                visitChain(g.current.head(b), action);
            }
        } finally {
            iterating = false;
            lock.unlock();
        }
    }

    private void visitChain(int link, EntryConsumer action) {
        for (int l = link; l != EntryPool.END; l = pool.next(l)) {
            action.accept(pool.key(l), pool.value(l));
        }
    }

    // ------------------------------------------------------------------------------------------------ writers

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if {@code spare} is {@link #NOT_MAPPED}
     */
    @Override
    public long put(long lba, long spare) {
        if (spare == NOT_MAPPED) {
            throw new IllegalArgumentException("spare " + NOT_MAPPED + " is reserved for 'not mapped'");
        }
        final int h = (int) hash(lba);
        lock.lock();
        try {
            beginMutation(h);
            BucketArray cur = generations.current;
            int b = h & cur.mask;
            int head = cur.head(b);
            for (int l = head; l != EntryPool.END; l = pool.next(l)) {
                if (pool.key(l) == lba) {
                    long previous = pool.value(l);
                    pool.setValue(l, spare);
                    endMutation();
                    return previous;
                }
            }
            cur.publish(b, pool.allocate(lba, spare, head));
            count = count + 1;
            endMutation();
            decideResize();
            return NOT_MAPPED;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long remove(long lba) {
        final int h = (int) hash(lba);
        lock.lock();
        try {
            beginMutation(h);
            BucketArray cur = generations.current;
            int b = h & cur.mask;
            int previousLink = EntryPool.END;
            for (int l = cur.head(b); l != EntryPool.END; previousLink = l, l = pool.next(l)) {
                if (pool.key(l) == lba) {
                    long spare = pool.value(l);
                    int next = pool.next(l);
                    if (previousLink == EntryPool.END) {
                        cur.publish(b, next);
                    } else {
                        pool.setNext(previousLink, next);
                    }
                    bumpReuseSequence();
                    pool.free(l);
                    count = count - 1;
                    endMutation();
                    decideResize();
                    return spare;
                }
            }
            endMutation();
            return NOT_MAPPED;
        } finally {
            lock.unlock();
        }
    }

    private void beginMutation(int h) {
        if (iterating) {
            throw new IllegalStateException("remap table mutated from inside forEach");
        }
        opBuckets = 0;
        opEntries = 0;
        Generations g = generations;
        if (g.old == null) {
            return;
        }
        rehashBucket(g, h & g.old.mask);
        for (int i = 0; i < quota && cursor < g.old.length; i++) {
            rehashBucket(g, cursor++);
        }
        releasePendingChains();
        if (cursor == g.old.length) {
            generations = new Generations(g.current, null);
        }
    }

    private void endMutation() {
        maxOpBuckets = Math.max(maxOpBuckets, opBuckets);
        maxOpEntries = Math.max(maxOpEntries, opEntries);
    }

    /**
     * Moves one old bucket's chain into the current generation: copies first (fresh slots, published with
     * release stores), then the MOVED mark, then the sequence bump, then the old slots are freed.
     */
    private void rehashBucket(Generations g, int oldBucket) {
        int head = g.old.head(oldBucket);
        if (head == BucketArray.MOVED) {
            return;
        }
        opBuckets++;
        BucketArray cur = g.current;
        for (int l = head; l != EntryPool.END; l = pool.next(l)) {
            long key = pool.key(l);
            int b = (int) hash(key) & cur.mask;
            cur.publish(b, pool.allocate(key, pool.value(l), cur.head(b)));
            opEntries++;
        }
        g.old.publish(oldBucket, BucketArray.MOVED);
        if (head != EntryPool.END) {
            if (pendingCount == pendingChains.length) {
                releasePendingChains();
            }
            pendingChains[pendingCount++] = head;
        }
    }

    /**
     * Frees the old chains of the rehash steps since the last call, behind one sequence bump (so a mutation costs
     * concurrent lookups at most one retry, however many buckets it rehashed).
     */
    private void releasePendingChains() {
        if (pendingCount == 0) {
            return;
        }
        bumpReuseSequence();
        for (int i = 0; i < pendingCount; i++) {
            for (int l = pendingChains[i]; l != EntryPool.END; ) {
                int next = pool.next(l);
                pool.free(l);
                l = next;
            }
        }
        pendingCount = 0;
    }

    /**
     * Seqlock write side: the increment must be visible before any later store into a freed slot, hence the
     * release fence after it (readers pair it with an acquire fence before their re-check).
     */
    private void bumpReuseSequence() {
        SEQ.getAndAdd(this, 1L);
        VarHandle.releaseFence();
    }

    private void decideResize() {
        Generations g = generations;
        long from = g.current.length;
        long to = policy.targetBuckets(count, from);
        if (to == from) {
            return;
        }
        if (g.old != null) {
            // Cannot happen with a validated policy (the quota ends every rehash first); kept as a safe fallback.
            forcedCompletions++;
            finishRehash(g);
            g = generations;
        }
        BucketArray next = new BucketArray((int) to);
        cursor = 0;
        quota = rehashQuota(g.current.length, to);
        generations = new Generations(next, g.current);
        resizeCount++;
        if (!policy.incrementalRehash()) {
            finishRehash(generations);
        }
        long at = count;
        LOG.info("remap table resize: {} -> {} buckets (count={})", from, to, at);
        for (ResizeListener listener : listeners) {
            listener.resized(from, to, at); // last: a listener may mutate the table (the lock is reentrant)
        }
    }

    private void finishRehash(Generations g) {
        while (cursor < g.old.length) {
            rehashBucket(g, cursor++);
        }
        releasePendingChains();
        generations = new Generations(g.current, null);
        endMutation();
    }

    /**
     * Old buckets to rehash per mutation so that the rehash ends before the count can reach the next decision:
     * at least {@code oldBuckets / mutationsUntilNextDecision}, rounded up.
     */
    private int rehashQuota(long oldBuckets, long newBuckets) {
        long c = count;
        long untilDecision = policy.growCount(newBuckets) - c;
        long shrinkAt = policy.shrinkCount(newBuckets);
        if (shrinkAt >= 0) {
            untilDecision = Math.min(untilDecision, c - shrinkAt);
        }
        untilDecision = Math.max(1, untilDecision);
        long needed = (oldBuckets + untilDecision - 1) / untilDecision;
        return (int) Math.min(oldBuckets, Math.max(MIN_QUOTA, needed));
    }

    // ------------------------------------------------------------------------------------------------ probes

    /** Most old buckets rehashed by one mutation so far (tests: incrementality). */
    long maxBucketsRehashedByOneMutation() {
        return underLock(() -> maxOpBuckets);
    }

    /** Most entries copied by one mutation so far (tests: incrementality). */
    long maxEntriesRehashedByOneMutation() {
        return underLock(() -> maxOpEntries);
    }

    /** Resize decisions that had to finish a running rehash first (0 under any validated policy). */
    long forcedCompletions() {
        return underLock(() -> forcedCompletions);
    }

    /** The current rehash quota (buckets per mutation). */
    int rehashQuota() {
        return (int) underLock(() -> quota);
    }

    /** Entry chunks released so far (tests: the pool shrinks while readers run). */
    long entryChunksReleased() {
        return underLock(() -> pool.chunksReleased());
    }

    /** Slot capacity of the entry chunks currently held. */
    long poolSlots() {
        return underLock(() -> pool.capacity());
    }

    /** Reads a test probe under the mutation lock, so it sees a consistent state. */
    private long underLock(java.util.function.LongSupplier probe) {
        lock.lock();
        try {
            return probe.getAsLong();
        } finally {
            lock.unlock();
        }
    }
}
