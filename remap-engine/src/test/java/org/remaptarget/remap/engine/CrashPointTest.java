package org.remaptarget.remap.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.remaptarget.remap.engine.Volumes.BS;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.remaptarget.remap.device.ManualTimeSource;
import org.remaptarget.remap.device.MediumErrorException;
import org.remaptarget.remap.device.MemoryBlockDevice;
import org.remaptarget.remap.fault.FaultInjectingDevice;
import org.remaptarget.remap.fault.FaultOp;
import org.remaptarget.remap.fault.FaultOutcome;
import org.remaptarget.remap.fault.FaultRule;
import org.remaptarget.remap.fault.FaultTrigger;
import org.remaptarget.remap.meta.Layout;

/**
 * Cuts the power before every write and every flush (data, spare, journal, checkpoint) of a scripted workload, reopens, and
 * checks: every write made durable (flushed, FUA, or remapped) reads back, every acknowledged remap is present, no
 * spare is allocated twice, and no block holds data that was never written to it.
 */
class CrashPointTest {
    private static final int DATA = 64;
    private static final int SPARES = 200;
    private static final FormatOptions FORMAT = FormatOptions.of(BS, DATA, SPARES);

    private sealed interface Op {
    }

    private record Write(long lba, int n, long seed, boolean fua, long failPrimaryAt) implements Op {
    }

    private record Read(long lba, int n, long failPrimaryAt) implements Op {
    }

    private record Flush() implements Op {
    }

    private record Discard(long lba, int n) implements Op {
    }

    private record RemapNow(long lba) implements Op {
    }

    private static List<Op> script() {
        SplittableRandom r = new SplittableRandom(7);
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < 220; i++) {
            int k = r.nextInt(100);
            long lba = r.nextLong(DATA - 4);
            int n = 1 + r.nextInt(4);
            if (k < 55) {
                ops.add(new Write(lba, n, r.nextLong(), r.nextInt(6) == 0, r.nextInt(3) == 0 ? lba + r.nextInt(n)
                        : -1));
            } else if (k < 65) {
                ops.add(new Read(lba, n, r.nextInt(2) == 0 ? lba + r.nextInt(n) : -1));
            } else if (k < 82) {
                ops.add(new Flush());
            } else if (k < 90) {
                ops.add(new Discard(lba, n));
            } else {
                ops.add(new RemapNow(lba));
            }
        }
        return ops;
    }

    /** Per block: every value it may hold after a crash. */
    private static final class Reference {
        final List<List<byte[]>> candidates = new ArrayList<>();
        final byte[][] latest = new byte[DATA][];

        Reference() {
            for (int b = 0; b < DATA; b++) {
                latest[b] = new byte[BS];
                candidates.add(new ArrayList<>(List.of(latest[b])));
            }
        }

        void written(long lba, byte[] data, boolean durable) {
            latest[(int) lba] = data;
            if (durable) {
                candidates.set((int) lba, new ArrayList<>(List.of(data)));
            } else {
                candidates.get((int) lba).add(data);
            }
        }

        void maybeWritten(long lba, byte[] data) {
            candidates.get((int) lba).add(data);
        }

        void flushed() {
            for (int b = 0; b < DATA; b++) {
                candidates.set(b, new ArrayList<>(List.of(latest[b])));
            }
        }

        void durable(long lba) {
            candidates.set((int) lba, new ArrayList<>(List.of(latest[(int) lba])));
        }
    }

    private static final Layout LAYOUT = FORMAT.layout(false);

    private static long countWrites(List<Op> script) throws IOException {
        MemoryBlockDevice mem = Volumes.formatted(FORMAT);
        FaultInjectingDevice fd = new FaultInjectingDevice(mem, new ManualTimeSource(), true);
        long id = fd.addRule(new FaultRule(EnumSet.of(FaultOp.WRITE, FaultOp.FLUSH), 0, Long.MAX_VALUE,
                new FaultTrigger.AfterCalls(Long.MAX_VALUE), new FaultOutcome.Latency(0), 0));
        Run run = new Run(fd);
        run.execute(script);
        assertTrue(run.cutAt < 0, "the counting run must not lose power");
        return fd.rules().stream().filter(s -> s.id() == id).findFirst().orElseThrow().matchingCalls();
    }

    /** Runs the script until it ends or the power goes; remembers what was acknowledged. */
    private static final class Run {
        final FaultInjectingDevice fd;
        final Reference ref = new Reference();
        final Map<Long, Long> ackedRemaps = new HashMap<>();
        final Set<Long> inFlightLbas = new HashSet<>();
        int cutAt = -1;
        RemapVolume v;

        Run(FaultInjectingDevice fd) {
            this.fd = fd;
        }

        void execute(List<Op> script) throws IOException {
            try {
                v = RemapVolume.open(fd, OpenOptions.defaults(TestRemapTable::new).withName("crash"));
            } catch (IOException e) {
                if (!fd.isPoweredOff()) {
                    throw e;
                }
                cutAt = 0;
                return;
            }
            for (int i = 0; i < script.size(); i++) {
                Op op = script.get(i);
                try {
                    apply(op);
                } catch (IOException e) {
                    if (!fd.isPoweredOff()) {
                        throw new AssertionError("op " + i + " " + op + " failed without a power cut", e);
                    }
                    cutAt = i + 1;
                    inFlight(op);
                    return;
                }
                for (Remap r : v.remaps()) {
                    ackedRemaps.put(r.lba(), r.spare());
                }
            }
        }

        private void apply(Op op) throws IOException {
            if (op instanceof Write w) {
                if (w.failPrimaryAt() >= 0) {
                    fd.addRule(FaultRule.of(FaultOp.WRITE, LAYOUT.dataStart() + w.failPrimaryAt(), 1,
                            new FaultOutcome.MediumError()));
                }
                Map<Long, Long> before = remapMap();
                ByteBuffer data = Volumes.pattern(w.n(), w.seed());
                v.device().write(w.lba(), data.duplicate(), w.fua());
                Map<Long, Long> after = remapMap();
                for (int i = 0; i < w.n(); i++) {
                    long lba = w.lba() + i;
                    boolean remapped = after.containsKey(lba) && !after.get(lba).equals(before.get(lba));
                    ref.written(lba, block(data, i), w.fua() || remapped);
                }
            } else if (op instanceof Read r) {
                if (r.failPrimaryAt() >= 0) {
                    fd.addRule(FaultRule.of(FaultOp.READ, LAYOUT.dataStart() + r.failPrimaryAt(), 1,
                            new FaultOutcome.MediumError()).withMaxFirings(1000));
                }
                try {
                    v.device().read(r.lba(), ByteBuffer.allocate(r.n() * BS));
                } catch (MediumErrorException e) {
                    if (fd.isPoweredOff()) {
                        throw e;
                    }
                }
            } else if (op instanceof Flush) {
                v.device().flush();
                ref.flushed();
            } else if (op instanceof Discard d) {
                v.device().discard(d.lba(), d.n());
                Map<Long, Long> after = remapMap();
                for (long b = d.lba(); b < d.lba() + d.n(); b++) {
                    ref.written(b, new byte[BS], false);
                }
                for (long b = d.lba(); b < d.lba() + d.n(); b++) {
                    if (after.containsKey(b) && !after.get(b).equals(ackedRemaps.get(b))) {
                        ref.durable(b);
                    }
                }
            } else if (op instanceof RemapNow m) {
                if (v.remapNow(m.lba()) >= 0) {
                    ref.durable(m.lba());
                }
            }
        }

        private void inFlight(Op op) {
            if (op instanceof Write w) {
                ByteBuffer data = Volumes.pattern(w.n(), w.seed());
                for (int i = 0; i < w.n(); i++) {
                    ref.maybeWritten(w.lba() + i, block(data, i));
                    inFlightLbas.add(w.lba() + i);
                }
            } else if (op instanceof Discard d) {
                for (long b = d.lba(); b < d.lba() + d.n(); b++) {
                    ref.maybeWritten(b, new byte[BS]);
                    inFlightLbas.add(b);
                }
            } else if (op instanceof RemapNow m) {
                inFlightLbas.add(m.lba());
            } else if (op instanceof Read r) {
                for (long b = r.lba(); b < r.lba() + r.n(); b++) {
                    inFlightLbas.add(b); // a pending mark may or may not have landed
                }
            }
        }

        private Map<Long, Long> remapMap() {
            Map<Long, Long> m = new HashMap<>();
            for (Remap r : v.remaps()) {
                m.put(r.lba(), r.spare());
            }
            return m;
        }
    }

    private static byte[] block(ByteBuffer b, int i) {
        return Arrays.copyOfRange(b.array(), i * BS, (i + 1) * BS);
    }

    private static void crashAfter(long writes, boolean torn, List<Op> script) throws IOException {
        MemoryBlockDevice mem = Volumes.formatted(FORMAT);
        FaultInjectingDevice fd = new FaultInjectingDevice(mem, new ManualTimeSource(), true);
        fd.addRule(new FaultRule(EnumSet.of(FaultOp.WRITE, FaultOp.FLUSH), 0, Long.MAX_VALUE, new FaultTrigger.AfterCalls(writes),
                new FaultOutcome.PowerCut(torn, writes * 31 + 1), 1));
        Run run = new Run(fd);
        run.execute(script);
        if (!fd.isPoweredOff()) {
            fd.powerCut(); // end of script: unflushed writes are still lost
        }
        String where = "power cut after " + writes + " writes" + (torn ? " (torn)" : "") + ", at op " + run.cutAt;
        RemapVolume after;
        try {
            after = RemapVolume.open(mem, OpenOptions.defaults(TestRemapTable::new).withName("reopened"));
        } catch (IOException e) {
            throw new AssertionError(where + ": reopen refused: " + e.getMessage(), e);
        }
        Map<Long, Long> now = new HashMap<>();
        Set<Long> spares = new HashSet<>();
        for (Remap r : after.remaps()) {
            now.put(r.lba(), r.spare());
            assertTrue(spares.add(r.spare()), where + ": spare " + r.spare() + " allocated twice");
        }
        for (Map.Entry<Long, Long> e : run.ackedRemaps.entrySet()) {
            if (!run.inFlightLbas.contains(e.getKey())) {
                assertEquals(e.getValue(), now.get(e.getKey()), where + ": acknowledged remap of LBA " + e.getKey()
                        + " lost");
            }
        }
        for (long b = 0; b < DATA; b++) {
            ByteBuffer got = ByteBuffer.allocate(BS);
            after.device().read(b, got);
            boolean ok = false;
            for (byte[] c : run.ref.candidates.get((int) b)) {
                ok |= Arrays.equals(c, got.array());
            }
            if (!ok) {
                fail(where + ": LBA " + b + " holds data that was never durably written (" + run.ref.candidates
                        .get((int) b).size() + " candidates)");
            }
        }
        after.close();
    }

    @Test
    void everyPowerCutLosesNoAcknowledgedWriteOrRemap() throws IOException {
        List<Op> script = script();
        long writes = countWrites(script);
        assertTrue(writes > 200, "workload too small: " + writes + " writes");
        for (long k = 0; k <= writes; k++) {
            crashAfter(k, false, script);
        }
    }

    @Test
    void everyTornPowerCutLosesNoAcknowledgedWriteOrRemap() throws IOException {
        List<Op> script = script();
        long writes = countWrites(script);
        for (long k = 0; k <= writes; k++) {
            crashAfter(k, true, script);
        }
    }

    @Test
    void scriptedWorkloadCrossesACheckpointAndRemapsBlocks() throws IOException {
        MemoryBlockDevice mem = Volumes.formatted(FORMAT);
        FaultInjectingDevice fd = new FaultInjectingDevice(mem, new ManualTimeSource(), true);
        Run run = new Run(fd);
        run.execute(script());
        assertTrue(run.v.stats().checkpoints() >= 1, "no checkpoint during the workload");
        assertTrue(run.v.stats().remaps() >= 30, "only " + run.v.stats().remaps() + " remaps");
    }
}
