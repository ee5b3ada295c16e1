package org.remaptarget.remap.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class IncrementalRemapTableTest {

    /** One resize event as a listener saw it, plus the size the table reported at that moment. */
    record Event(long from, long to, long count) {
    }

    private static List<Event> recordResizes(IncrementalRemapTable table) {
        List<Event> events = new ArrayList<>();
        table.addResizeListener((from, to, count) -> events.add(new Event(from, to, count)));
        return events;
    }

    private static long spareFor(long lba) {
        return lba * 7 + 3;
    }

    @Test
    void anEmptyTableMapsNothing() {
        IncrementalRemapTable table = new IncrementalRemapTable();
        assertEquals(RemapTable.NOT_MAPPED, table.get(12345));
        assertEquals(0, table.size());
        assertEquals(64, table.bucketCount());
    }

    @Test
    void aPutMappingIsReturnedByGet() {
        IncrementalRemapTable table = new IncrementalRemapTable();
        assertEquals(RemapTable.NOT_MAPPED, table.put(1000, 77));
        assertEquals(77, table.get(1000));
        assertEquals(1, table.size());
    }

    @Test
    void putOnAnExistingLbaReplacesTheSpareAndReturnsThePreviousOne() {
        IncrementalRemapTable table = new IncrementalRemapTable();
        table.put(5, 100);
        assertEquals(100, table.put(5, 200));
        assertEquals(200, table.get(5));
        assertEquals(1, table.size());
    }

    @Test
    void removeReturnsTheSpareAndForgetsTheMapping() {
        IncrementalRemapTable table = new IncrementalRemapTable();
        table.put(9, 90);
        assertEquals(90, table.remove(9));
        assertEquals(RemapTable.NOT_MAPPED, table.get(9));
        assertEquals(0, table.size());
    }

    @Test
    void removingAnAbsentLbaReturnsNotMappedAndChangesNothing() {
        IncrementalRemapTable table = new IncrementalRemapTable();
        table.put(1, 10);
        assertEquals(RemapTable.NOT_MAPPED, table.remove(2));
        assertEquals(1, table.size());
        assertEquals(10, table.get(1));
    }

    @Test
    void theReservedNotMappedValueCannotBeStoredAsASpare() {
        IncrementalRemapTable table = new IncrementalRemapTable();
        assertThrows(IllegalArgumentException.class, () -> table.put(1, RemapTable.NOT_MAPPED));
        assertEquals(0, table.size());
    }

    @Test
    void extremeLbaAndSpareValuesRoundTrip() {
        IncrementalRemapTable table = new IncrementalRemapTable();
        table.put(Long.MAX_VALUE, Long.MIN_VALUE);
        table.put(0, 0);
        table.put(-7, Long.MAX_VALUE);
        assertEquals(Long.MIN_VALUE, table.get(Long.MAX_VALUE));
        assertEquals(0, table.get(0));
        assertEquals(Long.MAX_VALUE, table.get(-7));
    }

    @Test
    void sixtyFourBucketsGrowToOneHundredTwentyEightWhenTheNinetySeventhEntryArrives() {
        IncrementalRemapTable table = new IncrementalRemapTable();
        List<Event> events = recordResizes(table);
        for (long lba = 0; lba < 96; lba++) {
            table.put(lba, spareFor(lba));
        }
        assertEquals(64, table.bucketCount());
        assertTrue(events.isEmpty());
        table.put(96, spareFor(96));
        assertEquals(List.of(new Event(64, 128, 97)), events);
        assertEquals(128, table.bucketCount());
    }

    @Test
    void growPointsFollowTheIntegerLoadRuleExactly() {
        IncrementalRemapTable table = new IncrementalRemapTable();
        List<Event> events = recordResizes(table);
        List<Event> expected = new ArrayList<>();
        long buckets = 64;
        for (long lba = 0; lba < 200_000; lba++) {
            table.put(lba, spareFor(lba));
            long count = lba + 1;
            if (count * 100 / buckets > 150) { // reference model of the dm-remap rule
                expected.add(new Event(buckets, buckets * 2, count));
                buckets *= 2;
            }
            assertEquals(buckets, table.bucketCount());
        }
        assertEquals(expected, events);
        // hand-checked: 97*100/64 = 151, 194*100/128 = 151 (193 gives 150), 387*100/256 = 151 (386 gives 150)
        assertEquals(List.of(new Event(64, 128, 97), new Event(128, 256, 194), new Event(256, 512, 387)),
                events.subList(0, 3));
    }

    @Test
    void shrinkPointsFollowTheIntegerLoadRuleExactly() {
        IncrementalRemapTable table = new IncrementalRemapTable();
        for (long lba = 0; lba < 387; lba++) {
            table.put(lba, spareFor(lba));
        }
        assertEquals(512, table.bucketCount());
        List<Event> events = recordResizes(table);
        for (long lba = 386; lba >= 0; lba--) {
            table.remove(lba);
        }
        // 255*100/512 = 49 (256 gives 50); 127*100/256 = 49; 63*100/128 = 49
        assertEquals(List.of(new Event(512, 256, 255), new Event(256, 128, 127), new Event(128, 64, 63)), events);
    }

    @Test
    void theTableNeverShrinksBelowTheMinimumBucketCount() {
        IncrementalRemapTable table = new IncrementalRemapTable();
        for (long lba = 0; lba < 1000; lba++) {
            table.put(lba, lba);
        }
        for (long lba = 0; lba < 1000; lba++) {
            table.remove(lba);
        }
        assertEquals(0, table.size());
        assertEquals(64, table.bucketCount());
    }

    @Test
    void configuredThresholdsReplaceTheDefaults() {
        IncrementalRemapTable table = new IncrementalRemapTable(new TablePolicy(100, 25, 16));
        List<Event> events = recordResizes(table);
        for (long lba = 0; lba < 17; lba++) {
            table.put(lba, lba);
        }
        // 17*100/16 = 106 > 100; 16*100/16 = 100 is not
        assertEquals(List.of(new Event(16, 32, 17)), events);
        for (long lba = 0; lba < 10; lba++) {
            table.remove(lba);
        }
        // 7*100/32 = 21 < 25; 8*100/32 = 25 is not
        assertEquals(new Event(32, 16, 7), events.get(1));
    }

    @Test
    void everyResizeDecisionIsCounted() {
        IncrementalRemapTable table = new IncrementalRemapTable();
        List<Event> events = recordResizes(table);
        for (long lba = 0; lba < 5000; lba++) {
            table.put(lba, lba);
        }
        for (long lba = 0; lba < 5000; lba++) {
            table.remove(lba);
        }
        assertEquals(events.size(), table.resizeCount());
        assertTrue(table.resizeCount() >= 12, "grew and shrank several times: " + table.resizeCount());
    }

    @Test
    void forEachVisitsEveryMappingExactlyOnceEvenMidResize() {
        IncrementalRemapTable table = new IncrementalRemapTable();
        Map<Long, Long> expected = new HashMap<>();
        for (long lba = 0; lba < 100; lba++) { // 97th put starts a rehash that is still running after the 100th
            table.put(lba * 13, spareFor(lba));
            expected.put(lba * 13, spareFor(lba));
        }
        assertTrue(table.isResizing());
        Map<Long, Long> seen = new HashMap<>();
        table.forEach((lba, spare) -> assertEquals(null, seen.put(lba, spare), "visited twice: " + lba));
        assertEquals(expected, seen);
    }

    @Test
    void mutatingFromInsideForEachIsRefused() {
        IncrementalRemapTable table = new IncrementalRemapTable();
        table.put(1, 1);
        assertThrows(IllegalStateException.class, () -> table.forEach((lba, spare) -> table.put(2, 2)));
        assertEquals(RemapTable.NOT_MAPPED, table.get(2));
    }

    @Test
    void aListenerMayMutateTheTableItIsTold() {
        IncrementalRemapTable table = new IncrementalRemapTable();
        table.addResizeListener((from, to, count) -> table.put(-1, -2));
        for (long lba = 0; lba < 97; lba++) {
            table.put(lba, lba);
        }
        assertEquals(-2, table.get(-1));
        assertEquals(98, table.size());
    }

    @Test
    void randomOperationsAgreeWithAReferenceMapAfterEveryStep() {
        SplittableRandom random = new SplittableRandom(20261124);
        IncrementalRemapTable table = new IncrementalRemapTable();
        Map<Long, Long> reference = new HashMap<>();
        long buckets = 64;
        for (int step = 0; step < 300_000; step++) {
            // a key space that drifts so the table grows and shrinks repeatedly
            long span = 2000 + (step / 20_000 % 2 == 0 ? step % 20_000 : 20_000 - step % 20_000);
            long lba = random.nextLong(span);
            int op = random.nextInt(10);
            long expectedBefore = reference.getOrDefault(lba, RemapTable.NOT_MAPPED);
            if (op < 5) {
                long spare = random.nextLong(1L << 40);
                assertEquals(expectedBefore, table.put(lba, spare), "put at step " + step);
                reference.put(lba, spare);
            } else if (op < 9) {
                assertEquals(expectedBefore, table.remove(lba), "remove at step " + step);
                reference.remove(lba);
            } else {
                assertEquals(expectedBefore, table.get(lba), "get at step " + step);
            }
            if (op < 9) {
                long count = reference.size();
                if (count * 100 / buckets > 150) {
                    buckets *= 2;
                } else if (count * 100 / buckets < 50 && buckets > 64) {
                    buckets /= 2;
                }
            }
            assertEquals(reference.size(), table.size(), "size at step " + step);
            assertEquals(buckets, table.bucketCount(), "buckets at step " + step);
            long probe = random.nextLong(span);
            assertEquals(reference.getOrDefault(probe, RemapTable.NOT_MAPPED), table.get(probe), "probe at " + step);
            if (step % 97 == 0) {
                assertBatchAgrees(table, reference, random, span, "batch at step " + step);
            }
        }
        Map<Long, Long> seen = new HashMap<>();
        table.forEach(seen::put);
        assertEquals(reference, seen);
        assertEquals(0, table.forcedCompletions());
    }

    /** {@link RemapTable#lookUpAll} over random keys (present, absent, repeated) gives what the reference holds. */
    private static void assertBatchAgrees(RemapTable table, Map<Long, Long> reference, SplittableRandom random,
                                          long span, String what) {
        int n = 1 + random.nextInt(200);
        long[] keys = new long[n + 2];
        for (int i = 1; i <= n; i++) {
            keys[i] = random.nextLong(span);
        }
        keys[0] = 12345; // outside [1, n]: left alone
        keys[n + 1] = 67890;
        long[] asked = keys.clone();
        table.lookUpAll(keys, 1, n + 1);
        assertEquals(12345, keys[0], what);
        assertEquals(67890, keys[n + 1], what);
        for (int i = 1; i <= n; i++) {
            assertEquals(reference.getOrDefault(asked[i], RemapTable.NOT_MAPPED), keys[i], what + ", key " + asked[i]);
        }
    }

    @Test
    void batchedLookupsWalkLongChainsAndMatchGetMidResize() {
        // a policy that lets chains grow to about ten entries, so batches meet chains longer than they walk
        IncrementalRemapTable table = new IncrementalRemapTable(new TablePolicy(1000, 100, 64));
        Map<Long, Long> reference = new HashMap<>();
        SplittableRandom random = new SplittableRandom(7);
        boolean sawResizing = false;
        for (long lba = 0; lba < 20_000; lba++) {
            long spare = random.nextLong(1L << 40);
            table.put(lba * 7, spare);
            reference.put(lba * 7, spare);
            if (lba % 500 == 0) {
                sawResizing |= table.isResizing();
                assertBatchAgrees(table, reference, random, 20_000 * 7, "after " + lba + " puts");
            }
        }
        assertTrue(sawResizing, "some batches must have run while a resize was in progress");
        assertTrue(table.size() * 100 / table.bucketCount() > 400, "chains must be long: load "
                + table.size() * 100 / table.bucketCount() + "%");
        long[] all = new long[20_000];
        for (int i = 0; i < all.length; i++) {
            all[i] = i * 7L;
        }
        table.lookUpAll(all, 0, all.length);
        for (int i = 0; i < all.length; i++) {
            assertEquals(reference.get(i * 7L), all[i], "lba " + i * 7L);
        }
    }

    @Test
    void tenMillionEntriesAreAllRetrievable() {
        IncrementalRemapTable table = new IncrementalRemapTable();
        int n = 10_000_000;
        for (int i = 0; i < n; i++) {
            long lba = (long) i * 8 + 1_000_000_000L;
            table.put(lba, spareFor(lba));
        }
        assertEquals(n, table.size());
        for (int i = 0; i < n; i += 7) { // a spread sample keeps the test fast; the model test checks every key
            long lba = (long) i * 8 + 1_000_000_000L;
            if (table.get(lba) != spareFor(lba)) {
                assertEquals(spareFor(lba), table.get(lba), "lba " + lba);
            }
        }
        assertEquals(RemapTable.NOT_MAPPED, table.get(1_000_000_001L));
        // 10^7 * 100 / 2^23 = 119: the last grow was 2^22 -> 2^23 buckets
        assertEquals(1 << 23, table.bucketCount());
    }

    @Test
    void noMutationRehashesMoreThanItsQuotaOfBuckets() {
        IncrementalRemapTable table = new IncrementalRemapTable();
        for (long lba = 0; lba < 400_000; lba++) {
            table.put(lba, lba);
        }
        for (long lba = 0; lba < 400_000; lba += 2) {
            table.remove(lba);
        }
        assertTrue(table.resizeCount() > 10);
        // quota for the default policy is at most 4 old buckets (shrink) plus the touched bucket
        assertTrue(table.maxBucketsRehashedByOneMutation() <= 5,
                "buckets per mutation: " + table.maxBucketsRehashedByOneMutation());
        assertTrue(table.maxEntriesRehashedByOneMutation() <= 40,
                "entries per mutation: " + table.maxEntriesRehashedByOneMutation());
    }

    @Test
    void aStopTheWorldTableRehashesEverythingInTheDecidingMutation() {
        IncrementalRemapTable table = new IncrementalRemapTable(TablePolicy.defaults().withIncrementalRehash(false));
        for (long lba = 0; lba < 400_000; lba++) {
            table.put(lba, lba);
            assertFalse(table.isResizing());
        }
        // the last grow (2^18 -> 2^19 at 393,217 entries) copied every entry at once
        assertTrue(table.maxEntriesRehashedByOneMutation() >= 393_216,
                "entries per mutation: " + table.maxEntriesRehashedByOneMutation());
        assertEquals(400_000 - 1, table.get(400_000 - 1));
    }

    @Test
    void anIncrementalRehashFinishesBeforeTheNextDecisionIsDue() {
        IncrementalRemapTable table = new IncrementalRemapTable();
        SplittableRandom random = new SplittableRandom(7);
        for (int step = 0; step < 200_000; step++) {
            long lba = random.nextLong(50_000);
            if (random.nextInt(3) == 0) {
                table.remove(lba);
            } else {
                table.put(lba, lba);
            }
        }
        assertTrue(table.resizeCount() > 5);
        assertEquals(0, table.forcedCompletions());
    }

    @Test
    void updatesDuringARehashAreNotLostWhenTheBucketMoves() {
        IncrementalRemapTable table = new IncrementalRemapTable();
        for (long lba = 0; lba < 97; lba++) {
            table.put(lba, 1);
        }
        assertTrue(table.isResizing());
        for (long lba = 0; lba < 97; lba++) {
            assertEquals(1, table.put(lba, 2));
        }
        for (long lba = 0; lba < 97; lba++) {
            assertEquals(2, table.get(lba));
        }
        assertFalse(table.isResizing());
    }

    @Test
    void removedSlotsAreReusedSoChurnDoesNotGrowThePool() {
        IncrementalRemapTable table = new IncrementalRemapTable();
        for (long lba = 0; lba < 10_000; lba++) {
            table.put(lba, lba);
        }
        long slots = table.poolSlots();
        for (long round = 1; round <= 20; round++) {
            for (long lba = 0; lba < 10_000; lba++) {
                table.remove(lba);
                table.put(lba + round * 1_000_000, lba);
                table.remove(lba + round * 1_000_000);
                table.put(lba, lba);
            }
        }
        assertEquals(10_000, table.size());
        assertTrue(table.poolSlots() <= slots + EntryPool.CHUNK, "slots " + table.poolSlots() + " vs " + slots);
    }
}
