package org.remaptarget.remap.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.remaptarget.remap.engine.Volumes.BS;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.remaptarget.remap.device.MediumErrorException;
import org.remaptarget.remap.device.MemoryBlockDevice;
import org.remaptarget.remap.device.ReallocationFailedException;
import org.remaptarget.remap.fault.FaultOp;
import org.remaptarget.remap.fault.FaultOutcome;
import org.remaptarget.remap.fault.FaultRule;

/**
 * Random reads, writes, discards, flushes, manual remaps, restarts and injected faults (fixed seeds) against a
 * reference in-memory disk, compared over the whole device after every step.
 */
class ModelBasedTest {
    private static final int DATA = 192;
    private static final int SPARES = 256;
    private static final int STEPS = 1500;

    /** Every value a block may legitimately hold (one, unless a write to it failed). */
    private final Map<Long, List<byte[]>> model = new HashMap<>();
    private final Set<Long> badReadPrimary = new HashSet<>();
    private final Set<Long> badWritePrimary = new HashSet<>();
    private final Set<Long> badReadSpare = new HashSet<>();
    private final Set<Long> badWriteSpare = new HashSet<>();
    private RemapVolume v;

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42})
    void randomOperationsAndFaultsMatchTheReferenceDiskAfterEveryStep(long seed) throws Exception {
        run(seed, false);
    }

    /**
     * The same operations on a disk where most of the unreadable primaries are replaced by runs of blocks moved to
     * spares: multi-block reads and writes over remapped blocks then mostly go through the primary in one call and
     * gather the spares, so those paths, and their fallbacks when a primary or a spare fails, meet the reference.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42})
    void readsThroughManyRemappedRunsMatchTheReferenceDiskAfterEveryStep(long seed) throws Exception {
        run(seed, true);
    }

    /** Ids of the rules {@link #installFaults} put in place last, and of the transient rules still installed. */
    private final List<Long> persistentRules = new ArrayList<>();
    private final List<Long> transientRules = new ArrayList<>();

    private void run(long seed, boolean remapRuns) throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed);
        MemoryBlockDevice dev = Volumes.formatted(FormatOptions.of(BS, DATA, SPARES));
        v = RemapVolume.open(dev, Volumes.opts());
        for (long b = 0; b < DATA; b++) {
            model.put(b, new ArrayList<>(List.of(new byte[BS])));
        }
        int ops = 0;
        long remapsSeen = 0;
        long throughs = 0;
        long fallbacks = 0;
        long transientFired = 0;
        for (int step = 0; step < STEPS; step++) {
            int kind = rnd.nextInt(100);
            long lba = rnd.nextLong(DATA);
            int n = (int) Math.min(1 + rnd.nextInt(rnd.nextInt(4) == 0 ? 24 : 4), DATA - lba);
            String what = "step " + step + " seed " + seed;
            if (kind < 40) {
                write(lba, n, rnd.nextLong(), rnd.nextInt(5) == 0, what);
            } else if (kind < 55) {
                read(lba, n, what);
            } else if (kind < 60) {
                v.device().flush();
            } else if (kind < 64) {
                try {
                    v.device().discard(lba, n);
                    for (long b = lba; b < lba + n; b++) {
                        model.put(b, new ArrayList<>(List.of(new byte[BS])));
                    }
                } catch (ReallocationFailedException e) {
                    for (long b = lba; b < lba + n; b++) {
                        model.get(b).add(new byte[BS]);
                    }
                }
            } else if (kind < 72 && badWritePrimary.size() < 50) {
                badWritePrimary.add(lba);
            } else if (kind < 76 && remapRuns) {
                remapRun(lba, n, what);
            } else if (kind < 78 && badReadPrimary.size() < 30) {
                badReadPrimary.add(lba);
            } else if (kind < 80) {
                transientFault(lba, n, rnd.nextBoolean() ? FaultOp.READ : FaultOp.WRITE);
            } else if (kind < 83 && !v.remaps().isEmpty()) {
                List<Remap> r = v.remaps();
                long spare = r.get(rnd.nextInt(r.size())).spare();
                (rnd.nextBoolean() ? badWriteSpare : badReadSpare).add(spare);
            } else if (kind < 88 && !badReadPrimary.isEmpty()) {
                badReadPrimary.remove(badReadPrimary.iterator().next());
            } else if (kind < 89) {
                try {
                    long spare = v.remapNow(lba);
                    if (spare < 0) {
                        assertTrue(unreadable(lba), what + ": remapNow refused a readable block " + lba);
                    }
                } catch (ReallocationFailedException e) {
                    assertEquals(lba, e.lba(), what);
                }
            } else if (kind < 93) {
                remapsSeen += v.stats().remaps();
                throughs += v.device().rangeWriter().throughs.sum();
                fallbacks += v.device().rangeWriter().fallbacks.sum();
                transientFired += transientFirings();
                v.close();
                v = RemapVolume.open(dev, Volumes.opts());
                persistentRules.clear();
                transientRules.clear();
            }
            installFaults();
            compareWholeDisk("after " + what + " (op kind " + kind + ")");
            ops++;
        }
        assertEquals(STEPS, ops);
        assertTrue(remapsSeen + v.stats().remaps() > 20, "the run must have exercised remapping");
        if (remapRuns) {
            throughs += v.device().rangeWriter().throughs.sum();
            fallbacks += v.device().rangeWriter().fallbacks.sum();
            assertTrue(throughs - fallbacks >= 5 && fallbacks >= 5, "multi-block writes must have written through "
                    + "remapped runs and fallen back where a primary failed: " + throughs + " tried, " + fallbacks
                    + " fell back");
        }
        assertTrue(transientFired + transientFirings() >= 5, "transient faults must have fired (and been hidden): " + (transientFired + transientFirings()) + " of " + transientRules.size());
        v.close();
    }

    /** Moves {@code [lba, +n)} to spares block by block (consecutive spares while they last). */
    private void remapRun(long lba, int n, String what) throws IOException {
        for (long b = lba; b < lba + n; b++) {
            try {
                if (v.remapNow(b) < 0) {
                    assertTrue(unreadable(b), what + ": remapNow refused a readable block " + b);
                }
            } catch (ReallocationFailedException e) {
                assertEquals(b, e.lba(), what);
                return;
            }
        }
    }

    /** Replaces the persistent fault rules by the current sets; transient rules stay until they have fired. */
    private void installFaults() {
        for (long id : persistentRules) {
            v.faults().removeRule(id);
        }
        persistentRules.clear();
        for (long b : badReadPrimary) {
            persistentRules.add(v.faults().addRule(FaultRule.of(FaultOp.READ, v.backingLbaOfData(b), 1,
                    new FaultOutcome.MediumError())));
        }
        for (long b : badWritePrimary) {
            persistentRules.add(v.faults().addRule(FaultRule.of(FaultOp.WRITE, v.backingLbaOfData(b), 1,
                    new FaultOutcome.MediumError())));
        }
        for (long s : badReadSpare) {
            persistentRules.add(v.faults().addRule(FaultRule.of(FaultOp.READ, v.deviceLbaOfSpare(s), 1,
                    new FaultOutcome.IoError())));
        }
        for (long s : badWriteSpare) {
            persistentRules.add(v.faults().addRule(FaultRule.of(FaultOp.WRITE, v.deviceLbaOfSpare(s), 1,
                    new FaultOutcome.IoError())));
        }
    }

    private void transientFault(long lba, int n, FaultOp op) {
        // fires once: retries must hide it completely
        transientRules.add(v.faults().addRule(FaultRule.of(op, v.backingLbaOfData(lba), n,
                new FaultOutcome.IoError()).withMaxFirings(1)));
    }

    /** Firings of this volume's transient rules (counted before a reopen drops them with the fault injector). */
    private long transientFirings() {
        long n = 0;
        for (long id : transientRules) {
            n += v.faults().firings(id);
        }
        return n;
    }

    private void write(long lba, int n, long dataSeed, boolean fua, String what) throws IOException {
        ByteBuffer data = Volumes.pattern(n, dataSeed);
        try {
            v.device().write(lba, data.duplicate(), fua);
            for (int i = 0; i < n; i++) {
                model.put(lba + i, new ArrayList<>(List.of(block(data, i))));
            }
        } catch (ReallocationFailedException e) {
            assertTrue(e.lba() >= lba && e.lba() < lba + n, what);
            for (int i = 0; i < n; i++) {
                model.get(lba + i).add(block(data, i)); // blocks may or may not have been written
            }
        }
    }

    private void read(long lba, int n, String what) throws IOException {
        ByteBuffer got = ByteBuffer.allocate(n * BS);
        try {
            v.device().read(lba, got);
            for (int i = 0; i < n; i++) {
                check(lba + i, block(got, i), what);
            }
        } catch (MediumErrorException e) {
            assertTrue(e.lba() >= lba && e.lba() < lba + n, what + ": error outside the request: " + e.lba());
            assertTrue(unreadable(e.lba()), what + ": read error blamed on readable LBA " + e.lba());
        }
    }

    private boolean unreadable(long lba) {
        long spare = v.remaps().stream().filter(r -> r.lba() == lba).mapToLong(Remap::spare)
                .findFirst().orElse(-1);
        return spare < 0 ? badReadPrimary.contains(lba) : badReadSpare.contains(spare);
    }

    /** Reads the whole device in one request, continuing after each located medium error. */
    private void compareWholeDisk(String what) throws IOException {
        long lba = 0;
        int guard = 0;
        while (lba < DATA && guard++ < DATA + 1) {
            ByteBuffer got = ByteBuffer.allocate((int) (DATA - lba) * BS);
            try {
                v.device().read(lba, got);
                for (int i = 0; lba + i < DATA; i++) {
                    check(lba + i, block(got, i), what);
                }
                return;
            } catch (MediumErrorException e) {
                assertTrue(e.lba() >= lba, what);
                assertTrue(unreadable(e.lba()), what + ": read error blamed on readable LBA " + e.lba());
                for (long b = lba; b < e.lba(); b++) {
                    ByteBuffer one = ByteBuffer.allocate(BS);
                    v.device().read(b, one);
                    check(b, one.array(), what);
                }
                lba = e.lba() + 1;
            }
        }
    }

    private void check(long lba, byte[] got, String what) {
        List<byte[]> allowed = model.get(lba);
        for (byte[] a : allowed) {
            if (Arrays.equals(a, got)) {
                if (allowed.size() > 1) {
                    model.put(lba, new ArrayList<>(List.of(got))); // now observed: it is what the disk holds
                }
                return;
            }
        }
        if (allowed.size() == 1) {
            assertArrayEquals(allowed.get(0), got, what + ": LBA " + lba + " differs from the reference");
        }
        fail(what + ": LBA " + lba + " holds data that was never written there");
    }

    private static byte[] block(ByteBuffer b, int i) {
        return Arrays.copyOfRange(b.array(), b.arrayOffset() + i * BS, b.arrayOffset() + (i + 1) * BS);
    }
}
