package org.remaptarget.remap.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;

import org.junit.jupiter.api.Test;

class IncrementalRemapTableMemoryTest {

    private static final double BUDGET_BYTES_PER_ENTRY = 32.0;

    @Test
    void bytesPerEntryStayWithinThirtyTwoAtEveryStageOfGrowthIncludingMidRehash() {
        IncrementalRemapTable table = new IncrementalRemapTable();
        double worst = 0;
        boolean sawRehash = false;
        for (long lba = 0; lba < 2_000_000; lba++) {
            table.put(lba * 4, lba);
            if (lba >= 10_000 && lba % 500 == 0) {
                double perEntry = (double) table.memoryBytes() / table.size();
                worst = Math.max(worst, perEntry);
                sawRehash |= table.isResizing();
            }
        }
        assertTrue(sawRehash, "some checkpoints fell inside a rehash");
        assertTrue(worst <= BUDGET_BYTES_PER_ENTRY, "worst bytes per entry " + worst);
    }

    @Test
    void memoryBytesCountsTheEntryArraysAndBothBucketGenerations() {
        IncrementalRemapTable table = new IncrementalRemapTable();
        for (long lba = 0; lba < 98; lba++) { // the 97th decides the resize, the 98th starts the rehash
            table.put(lba, lba);
        }
        assertTrue(table.isResizing());
        // one entry chunk (1024 * 16 + 16 bytes of keys/values, 1024 * 4 + 16 bytes of links), two 4-ref
        // directories, three 4-int per-chunk tables and a 1-long space bitmap, the old 64-bucket chunk
        // (+ directory) and the new 128-bucket generation's chunk
        long entries = (16 + 1024 * 16) + (16 + 1024 * 4) + 2 * (16 + 4 * 4) + 3 * (16 + 4 * 4) + (16 + 8);
        long oldBuckets = (16 + 8) + (16 + 64 * 4);
        long newBuckets = (16 + 8) + (16 + 128 * 4);
        assertEquals(entries + oldBuckets + newBuckets, table.memoryBytes());
    }

    @Test
    void aResizeDecisionOfALargeTableAllocatesOnlyADirectoryForTheNextGeneration() {
        IncrementalRemapTable table = new IncrementalRemapTable();
        long growAt = (151L * 4096 + 99) / 100; // 4096 -> 8192 buckets at 6185 entries
        for (long lba = 0; lba < growAt - 1; lba++) {
            table.put(lba, lba);
        }
        for (long lba = 0; table.isResizing(); lba++) { // finish the previous rehash with updates
            table.put(lba, lba);
        }
        assertEquals(4096, table.bucketCount());
        long beforeDecision = table.memoryBytes();
        table.put(growAt, growAt);
        assertTrue(table.isResizing());
        assertEquals(8192, table.bucketCount());
        assertEquals(beforeDecision + (16 + 2 * 4), table.memoryBytes());
    }

    @Test
    void removingMostEntriesGivesTheMemoryBackOnceTheShrinkRehashHasCompactedThePool() {
        IncrementalRemapTable table = new IncrementalRemapTable();
        int n = 500_000;
        for (long lba = 0; lba < n; lba++) {
            table.put(lba * 3, lba);
        }
        long full = table.memoryBytes();
        for (long lba = 0; lba < n; lba++) {
            if (lba % 10 != 0) {
                table.remove(lba * 3);
            }
        }
        for (long lba = 0; table.isResizing(); lba += 10) { // updates finish the last shrink rehash
            table.put(lba * 3, lba);
        }
        assertEquals(n / 10, table.size());
        double perEntry = (double) table.memoryBytes() / table.size();
        assertTrue(perEntry <= BUDGET_BYTES_PER_ENTRY, "bytes per entry after removals: " + perEntry
                + " (full table held " + full + " bytes)");
        for (long lba = 0; lba < n; lba += 10) {
            assertEquals(lba, table.get(lba * 3));
        }
    }

    @Test
    void measuredHeapGrowthAgreesWithMemoryBytesAndStaysUnderThirtyTwoBytesPerEntry() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = settledHeapUsed(memory);
        IncrementalRemapTable table = new IncrementalRemapTable();
        int n = 3_000_000;
        for (long lba = 0; lba < n; lba++) {
            table.put(lba * 8 + 5, lba);
        }
        long after = settledHeapUsed(memory);
        long estimated = table.memoryBytes();
        long measured = after - before;
        Reference.reachabilityFence(table);
        double ratio = (double) measured / estimated;
        assertTrue(ratio > 0.8 && ratio < 1.25,
                "measured " + measured + " vs estimated " + estimated + " bytes (ratio " + ratio + ")");
        assertTrue((double) measured / n <= BUDGET_BYTES_PER_ENTRY, "measured bytes per entry " + (double) measured / n);
    }

    private static long settledHeapUsed(MemoryMXBean memory) {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
