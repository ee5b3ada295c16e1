package org.remaptarget.remap.fault;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.remaptarget.remap.device.BlockDevice;
import org.remaptarget.remap.device.MediumErrorException;
import org.remaptarget.remap.device.TimeSource;

/**
 * A {@link BlockDevice} decorator that injects faults by rule, controllable at run time (rules are added, listed
 * and removed while I/O runs) and deterministic (counts, seeds, an injected clock).
 *
 * <p>Owns the rule list (copy-on-write: the I/O path never locks to read it) and, when constructed with
 * {@code trackUnflushedWrites}, a volatile-cache model: every write or discard since the last honoured flush is
 * logged with its before and after images so that a power cut can roll the inner device back to what a real disk
 * would have kept. That log and the power state are guarded by {@code durabilityLock}; with tracking on, writes are
 * serialised on it (this is a test and drill device, not a fast path). FUA writes are durable at once.
 *
 * <p>Invariant: a failed call (I/O error, medium error, power cut) changes nothing on the inner device.
 */
public final class FaultInjectingDevice implements BlockDevice {
    private static final Logger LOG = LogManager.getLogger(FaultInjectingDevice.class);

    private final BlockDevice inner;
    private final TimeSource time;
    private final boolean trackUnflushedWrites;
    private final CopyOnWriteArrayList<InstalledRule> rules = new CopyOnWriteArrayList<>();
    private final AtomicLong nextId = new AtomicLong(1);
    private final AtomicLong totalFirings = new AtomicLong();
    private final AtomicLong powerCuts = new AtomicLong();
    private final Object durabilityLock = new Object();
    private final List<Unflushed> unflushed = new ArrayList<>(); // guarded by durabilityLock
    private volatile boolean poweredOff;

    /**
     * @param inner                the device faults are injected in front of
     * @param time                 the clock for latency and flakey windows
     * @param trackUnflushedWrites keep before/after images of unflushed writes so a power cut discards them
     */
    public FaultInjectingDevice(BlockDevice inner, TimeSource time, boolean trackUnflushedWrites) {
        this.inner = inner;
        this.time = time;
        this.trackUnflushedWrites = trackUnflushedWrites;
    }

    public BlockDevice inner() {
        return inner;
    }

    // ---------------------------------------------------------------- rule administration

    /** Installs {@code rule} and returns its id. */
    public long addRule(FaultRule rule) {
        long id = nextId.getAndIncrement();
        rules.add(new InstalledRule(id, rule, time.nanoTime()));
        LOG.info("fault rule {} added: {}", id, rule);
        return id;
    }

    /** Removes rule {@code id}; returns false if there was none. */
    public boolean removeRule(long id) {
        boolean removed = rules.removeIf(r -> r.id == id);
        if (removed) {
            LOG.info("fault rule {} removed", id);
        }
        return removed;
    }

    /** Removes every rule. */
    public void clearRules() {
        rules.clear();
    }

    /** The installed rules with their counters, in installation order. */
    public List<FaultRuleStatus> rules() {
        List<FaultRuleStatus> out = new ArrayList<>();
        for (InstalledRule r : rules) {
            out.add(new FaultRuleStatus(r.id, r.rule, r.calls.get(), r.firings.get()));
        }
        return out;
    }

    /** Firings of rule {@code id} so far (0 if unknown). */
    public long firings(long id) {
        for (InstalledRule r : rules) {
            if (r.id == id) {
                return r.firings.get();
            }
        }
        return 0;
    }

    /** Firings of all rules, including removed ones. */
    public long totalFirings() {
        return totalFirings.get();
    }

    // ---------------------------------------------------------------- power

    /** True after a power cut until {@link #restorePower()}. */
    public boolean isPoweredOff() {
        return poweredOff;
    }

    /** Number of power cuts so far. */
    public long powerCuts() {
        return powerCuts.get();
    }

    /** Cuts the power now, discarding every unflushed write. */
    public void powerCut() throws IOException {
        cutPower(false, 0);
    }

    /** Cuts the power now; each unflushed block survives or not as drawn from {@code seed}. */
    public void powerCutTorn(long seed) throws IOException {
        cutPower(true, seed);
    }

    /** Powers the device back on: calls work again. Rules stay installed. */
    public void restorePower() {
        synchronized (durabilityLock) {
            poweredOff = false;
        }
    }

    /** Number of writes and discards not yet made durable by a flush (0 without tracking). */
    public int unflushedWrites() {
        synchronized (durabilityLock) {
            return unflushed.size();
        }
    }

    private void cutPower(boolean torn, long seed) throws IOException {
        synchronized (durabilityLock) {
            if (poweredOff) {
                return;
            }
            poweredOff = true;
            powerCuts.incrementAndGet();
            if (trackUnflushedWrites) {
                rollBack(torn, seed);
            }
            unflushed.clear();
        }
        LOG.warn("power cut injected on {} ({} writes lost or torn)", inner, torn ? "some" : "all unflushed");
    }

    /** Puts every block touched by an unflushed write back to what survives the cut. Holds durabilityLock. */
    private void rollBack(boolean torn, long seed) throws IOException {
        int bs = inner.blockSize();
        TreeSet<Long> blocks = new TreeSet<>();
        for (Unflushed u : unflushed) {
            for (long b = 0; b < u.blocks; b++) {
                blocks.add(u.lba + b);
            }
        }
        for (long block : blocks) {
            byte[] content = null;
            byte[] oldest = null;
            for (int i = unflushed.size() - 1; i >= 0; i--) {
                Unflushed u = unflushed.get(i);
                if (block < u.lba || block >= u.lba + u.blocks) {
                    continue;
                }
                int off = (int) (block - u.lba) * bs;
                boolean survives = u.fua || (torn && (mix(seed, i, block) & 1) == 0);
                if (survives) {
                    content = java.util.Arrays.copyOfRange(u.after, off, off + bs);
                    break;
                }
                oldest = java.util.Arrays.copyOfRange(u.before, off, off + bs);
            }
            if (content == null) {
                content = oldest;
            }
            inner.write(block, ByteBuffer.wrap(content), false);
        }
        inner.flush();
    }

    private static long mix(long seed, long i, long block) {
        long z = seed * 0x9E3779B97F4A7C15L + i * 0xBF58476D1CE4E5B9L + block * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private void checkPower() throws IOException {
        if (poweredOff) {
            throw new IOException("device " + inner + " has no power (injected power cut)");
        }
    }

    // ---------------------------------------------------------------- BlockDevice

    @Override
    public int blockSize() {
        return inner.blockSize();
    }

    @Override
    public long blockCount() {
        return inner.blockCount();
    }

    @Override
    public void read(long lba, ByteBuffer dst) throws IOException {
        int n = blocksIn(dst);
        checkRange(lba, n);
        checkPower();
        Decision d = evaluate(FaultOp.READ, lba, n);
        int start = dst.position();
        inner.read(lba, dst);
        if (d.corruptFrom >= 0) {
            corrupt(dst, start, lba, d.corruptFrom, d.corruptTo);
        }
    }

    @Override
    public void write(long lba, ByteBuffer src, boolean fua) throws IOException {
        int n = blocksIn(src);
        checkRange(lba, n);
        checkPower();
        Decision d = evaluate(FaultOp.WRITE, lba, n);
        ByteBuffer data = src.slice();
        if (d.corruptFrom >= 0) {
            ByteBuffer copy = ByteBuffer.allocate(data.remaining());
            copy.put(data.duplicate()).flip();
            corrupt(copy, 0, lba, d.corruptFrom, d.corruptTo);
            data = copy;
        }
        if (trackUnflushedWrites) {
            synchronized (durabilityLock) {
                checkPower();
                byte[] before = new byte[n * blockSize()];
                inner.read(lba, ByteBuffer.wrap(before));
                byte[] after = new byte[before.length];
                data.duplicate().get(after);
                inner.write(lba, data, fua);
                unflushed.add(new Unflushed(lba, n, before, after, fua));
            }
        } else {
            inner.write(lba, data, fua);
        }
        src.position(src.limit());
    }

    @Override
    public void flush() throws IOException {
        checkPower();
        Decision d = evaluate(FaultOp.FLUSH, 0, 0);
        if (d.dropFlush) {
            return;
        }
        if (trackUnflushedWrites) {
            synchronized (durabilityLock) {
                checkPower();
                inner.flush();
                unflushed.clear();
            }
        } else {
            inner.flush();
        }
    }

    @Override
    public void discard(long lba, long blocks) throws IOException {
        checkRange(lba, blocks);
        checkPower();
        evaluate(FaultOp.DISCARD, lba, blocks);
        if (trackUnflushedWrites && blocks <= Integer.MAX_VALUE / blockSize()) {
            synchronized (durabilityLock) {
                checkPower();
                byte[] before = new byte[(int) blocks * blockSize()];
                inner.read(lba, ByteBuffer.wrap(before));
                inner.discard(lba, blocks);
                unflushed.add(new Unflushed(lba, (int) blocks, before, new byte[before.length], false));
            }
        } else {
            inner.discard(lba, blocks);
        }
    }

    @Override
    public org.remaptarget.remap.device.AllocationRun allocation(long lba, long maxBlocks) throws IOException {
        checkRange(lba, maxBlocks);
        checkPower();
        return inner.allocation(lba, maxBlocks);
    }

    @Override
    public void close() throws IOException {
        inner.close();
    }

    @Override
    public String toString() {
        return "fault(" + inner + ")";
    }

    // ---------------------------------------------------------------- evaluation

    private Decision evaluate(FaultOp op, long lba, long n) throws IOException {
        Decision d = new Decision();
        for (InstalledRule r : rules) {
            FaultRule rule = r.rule;
            if (!rule.ops().contains(op)) {
                continue;
            }
            long from = lba;
            long to = lba + n;
            if (op != FaultOp.FLUSH) {
                from = Math.max(lba, rule.firstLba());
                to = Math.min(lba + n, rule.endLba());
                if (from >= to) {
                    continue;
                }
            }
            long named = r.fire(op, from, to, time.nanoTime());
            if (named < 0) {
                continue;
            }
            totalFirings.incrementAndGet();
            LOG.debug("fault rule {} fired on {} [{}, {})", r.id, op, from, to);
            FaultOutcome outcome = rule.outcome();
            if (outcome instanceof FaultOutcome.IoError) {
                throw new IOException("injected I/O error (fault rule " + r.id + ") on " + op + " at LBA " + lba
                        + " length " + n);
            } else if (outcome instanceof FaultOutcome.MediumError) {
                throw new MediumErrorException(named, op == FaultOp.WRITE || op == FaultOp.DISCARD,
                        "injected medium error (fault rule " + r.id + ") on " + op + " at LBA " + named);
            } else if (outcome instanceof FaultOutcome.Latency lat) {
                try {
                    time.sleepNanos(lat.nanos());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted during injected latency");
                }
            } else if (outcome instanceof FaultOutcome.Corrupt) {
                if (d.corruptFrom < 0) {
                    d.corruptFrom = from;
                    d.corruptTo = to;
                }
            } else if (outcome instanceof FaultOutcome.DropFlush) {
                d.dropFlush = op == FaultOp.FLUSH;
            } else if (outcome instanceof FaultOutcome.PowerCut pc) {
                cutPower(pc.tornWrites(), pc.seed());
                throw new IOException("power cut (fault rule " + r.id + ") during " + op + " at LBA " + lba);
            }
        }
        return d;
    }

    private void corrupt(ByteBuffer buf, int start, long lba, long from, long to) {
        int bs = blockSize();
        for (long b = from; b < to; b++) {
            int off = start + (int) (b - lba) * bs;
            buf.put(off, (byte) ~buf.get(off));
            buf.put(off + bs - 1, (byte) ~buf.get(off + bs - 1));
        }
    }

    private static final class Decision {
        long corruptFrom = -1;
        long corruptTo = -1;
        boolean dropFlush;
    }

    private record Unflushed(long lba, int blocks, byte[] before, byte[] after, boolean fua) {
    }
}
