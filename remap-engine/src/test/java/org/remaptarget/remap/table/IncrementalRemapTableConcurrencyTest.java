package org.remaptarget.remap.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Lock-free lookups hammering the table while one writer drives it through many grow/shrink rehashes. Bounded in
 * count (writer cycles) and time; assertions are exact, only the interleaving varies.
 */
class IncrementalRemapTableConcurrencyTest {

    private static final int READERS = 2;
    private static final long TIME_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(8);

    private static long stableLba(int i) {
        return 1_000_000L + i * 3L;
    }

    private static long churnLba(int i) {
        return 50_000_000L + i * 5L;
    }

    /** Values of churn keys name their key, so a reader can tell a value that belongs to another LBA. */
    private static long churnSpare(long lba, long version) {
        return lba * 1000 + version % 1000;
    }

    private static final class Outcome {
        final AtomicReference<String> failure = new AtomicReference<>();
        final AtomicLong lookups = new AtomicLong();
        final AtomicLong lookupsDuringRehash = new AtomicLong();
        final AtomicLong absentChecks = new AtomicLong();
        final AtomicLong presentChecks = new AtomicLong();

        void fail(String message) {
            failure.compareAndSet(null, message);
        }
    }

    /** Readers ask key by key ({@link IncrementalRemapTable#get}) or in batches ({@code lookUpAll}). */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    @Timeout(60)
    void readersDuringResizesNeverMissAStableKeyNorSeeARemovedOrForeignValue(boolean batched) throws Exception {
        final int stable = 5_000;
        final int churn = 30_000;
        final int cycles = 25;
        IncrementalRemapTable table = new IncrementalRemapTable();
        for (int i = 0; i < stable; i++) {
            table.put(stableLba(i), stableLba(i) + 17);
        }
        // per churn key: 0 mod 4 absent, 1 being put, 2 present, 3 being removed (a reader's check is exact only
        // when the version is unchanged across its lookup)
        AtomicLongArray version = new AtomicLongArray(churn);
        AtomicBoolean done = new AtomicBoolean();
        Outcome outcome = new Outcome();
        long resizesBefore = table.resizeCount();

        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < READERS; r++) {
            final long seed = 100 + r;
            Thread reader = new Thread(() -> {
                if (batched) {
                    readLoopBatched(table, version, done, outcome, seed, stable, churn);
                } else {
                    readLoop(table, version, done, outcome, seed, stable, churn);
                }
            }, "reader-" + r);
            readers.add(reader);
            reader.start();
        }

        long deadline = System.nanoTime() + TIME_LIMIT_NANOS;
        SplittableRandom random = new SplittableRandom(42);
        int cyclesDone = 0;
        try {
            for (int cycle = 0; cycle < cycles && System.nanoTime() < deadline && outcome.failure.get() == null;
                    cycle++) {
                for (int i = 0; i < churn; i++) {
                    long lba = churnLba(i);
                    long v = version.incrementAndGet(i);
                    assertEquals(RemapTable.NOT_MAPPED, table.put(lba, churnSpare(lba, v)));
                    version.incrementAndGet(i);
                }
                for (int u = 0; u < churn / 4; u++) {
                    int i = random.nextInt(churn);
                    long lba = churnLba(i);
                    table.put(lba, churnSpare(lba, random.nextLong(1000)));
                }
                for (int i = churn - 1; i >= 0; i--) {
                    long lba = churnLba(i);
                    version.incrementAndGet(i);
                    assertTrue(table.remove(lba) != RemapTable.NOT_MAPPED, "churn key present before remove");
                    version.incrementAndGet(i);
                }
                cyclesDone++;
            }
        } finally {
            done.set(true);
            for (Thread reader : readers) {
                reader.join(TimeUnit.SECONDS.toMillis(20));
            }
        }

        assertNull(outcome.failure.get());
        assertTrue(cyclesDone >= 3, "writer cycles: " + cyclesDone);
        assertTrue(table.resizeCount() - resizesBefore >= 6L * cyclesDone / 2, "resizes: " + table.resizeCount());
        assertTrue(outcome.lookupsDuringRehash.get() > 1000, "lookups during rehash: " + outcome.lookupsDuringRehash);
        assertTrue(outcome.absentChecks.get() > 1000 && outcome.presentChecks.get() > 1000,
                "exact checks: absent " + outcome.absentChecks + " present " + outcome.presentChecks);
        assertEquals(stable, table.size());
        assertEquals(0, table.forcedCompletions());
        assertTrue(table.entryChunksReleased() > 0, "entry chunks were released under the readers");
    }

    private static void readLoop(IncrementalRemapTable table, AtomicLongArray version, AtomicBoolean done,
            Outcome outcome, long seed, int stable, int churn) {
        SplittableRandom random = new SplittableRandom(seed);
        long deadline = System.nanoTime() + TIME_LIMIT_NANOS + TimeUnit.SECONDS.toNanos(2);
        int s = 0;
        while (!done.get() && outcome.failure.get() == null && System.nanoTime() < deadline) {
            for (int batch = 0; batch < 256; batch++) {
                boolean rehashing = table.isResizing();
                long lba = stableLba(s);
                long got = table.get(lba);
                if (got != lba + 17) {
                    outcome.fail("stable lba " + lba + " read " + got);
                    return;
                }
                s = s + 1 == stable ? 0 : s + 1;

                int i = random.nextInt(churn);
                long c = churnLba(i);
                long v1 = version.get(i);
                long value = table.get(c);
                long v2 = version.get(i);
                if (value != RemapTable.NOT_MAPPED && value / 1000 != c) {
                    outcome.fail("churn lba " + c + " read a foreign value " + value);
                    return;
                }
                if (v1 == v2 && v1 % 4 == 0) {
                    outcome.absentChecks.incrementAndGet();
                    if (value != RemapTable.NOT_MAPPED) {
                        outcome.fail("removed lba " + c + " still read " + value);
                        return;
                    }
                } else if (v1 == v2 && v1 % 4 == 2) {
                    outcome.presentChecks.incrementAndGet();
                    if (value == RemapTable.NOT_MAPPED) {
                        outcome.fail("present lba " + c + " was missed");
                        return;
                    }
                }
                if (table.get(churnLba(churn) + 1) != RemapTable.NOT_MAPPED) {
                    outcome.fail("never-inserted lba was found");
                    return;
                }
                outcome.lookups.addAndGet(3);
                if (rehashing) {
                    outcome.lookupsDuringRehash.addAndGet(3);
                }
            }
        }
    }

    /** As {@link #readLoop}, with each kind of key asked for in batches of {@value #BATCH} through lookUpAll. */
    private static void readLoopBatched(IncrementalRemapTable table, AtomicLongArray version, AtomicBoolean done,
            Outcome outcome, long seed, int stable, int churn) {
        SplittableRandom random = new SplittableRandom(seed);
        long deadline = System.nanoTime() + TIME_LIMIT_NANOS + TimeUnit.SECONDS.toNanos(2);
        long[] keys = new long[BATCH];
        int[] idx = new int[BATCH];
        long[] before = new long[BATCH];
        int s = 0;
        while (!done.get() && outcome.failure.get() == null && System.nanoTime() < deadline) {
            boolean rehashing = table.isResizing();
            for (int k = 0; k < BATCH; k++) {
                keys[k] = stableLba((s + k) % stable);
            }
            table.lookUpAll(keys, 0, BATCH);
            for (int k = 0; k < BATCH; k++) {
                long lba = stableLba((s + k) % stable);
                if (keys[k] != lba + 17) {
                    outcome.fail("stable lba " + lba + " read " + keys[k] + " in a batch");
                    return;
                }
            }
            s = (s + BATCH) % stable;

            for (int k = 0; k < BATCH - 1; k++) {
                idx[k] = random.nextInt(churn);
                before[k] = version.get(idx[k]);
                keys[k] = churnLba(idx[k]);
            }
            keys[BATCH - 1] = churnLba(churn) + 1; // never inserted
            table.lookUpAll(keys, 0, BATCH);
            for (int k = 0; k < BATCH - 1; k++) {
                long c = churnLba(idx[k]);
                long v1 = before[k];
                long v2 = version.get(idx[k]);
                long value = keys[k];
                if (value != RemapTable.NOT_MAPPED && value / 1000 != c) {
                    outcome.fail("churn lba " + c + " read a foreign value " + value + " in a batch");
                    return;
                }
                if (v1 == v2 && v1 % 4 == 0) {
                    outcome.absentChecks.incrementAndGet();
                    if (value != RemapTable.NOT_MAPPED) {
                        outcome.fail("removed lba " + c + " still read " + value + " in a batch");
                        return;
                    }
                } else if (v1 == v2 && v1 % 4 == 2) {
                    outcome.presentChecks.incrementAndGet();
                    if (value == RemapTable.NOT_MAPPED) {
                        outcome.fail("present lba " + c + " was missed in a batch");
                        return;
                    }
                }
            }
            if (keys[BATCH - 1] != RemapTable.NOT_MAPPED) {
                outcome.fail("never-inserted lba was found in a batch");
                return;
            }
            outcome.lookups.addAndGet(2L * BATCH);
            if (rehashing) {
                outcome.lookupsDuringRehash.addAndGet(2L * BATCH);
            }
        }
    }

    private static final int BATCH = 64;
}
