package org.remaptarget.remap.table;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class DenseRegionTableTest {
    private static final int STABLE = 3;
    private static final int SHIFT = 8; // 256 LBAs per region: moves in at 4 mappings, out below 2

    @Test
    void defaultRegionsMoveInAtOneBlockIn64AndOutBelowOneIn128() {
        DenseRegionTable t = new DenseRegionTable(new IncrementalRemapTable(), 1 << 20, 1 << 20);
        assertEquals(4096, t.regionBlocks());
        assertArrayEquals(new int[] {64, 32}, t.moveThresholds());
        assertArrayEquals(new int[] {4, 2},
                new DenseRegionTable(new IncrementalRemapTable(), 1024, 1000, SHIFT).moveThresholds());
    }

    @Test
    void aRegionMovesIntoAPackedArrayWhenOneBlockIn64IsRemapped() {
        IncrementalRemapTable hash = new IncrementalRemapTable();
        DenseRegionTable t = new DenseRegionTable(hash, 1024, 1000, SHIFT);
        for (int i = 0; i < 3; i++) {
            t.put(256 + 70 + i * 61, i); // offsets 70, 131, 192: three different words of the region
        }
        assertEquals(0, t.denseRegions());
        assertEquals(3, hash.size());
        t.put(511, 99);
        assertEquals(1, t.denseRegions());
        assertEquals(0, hash.size(), "the region's mappings left the hash");
        assertEquals(4, t.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(i, t.get(256 + 70 + i * 61));
        }
        assertEquals(99, t.get(511));
        assertEquals(RemapTable.NOT_MAPPED, t.get(256 + 71));
        assertEquals(RemapTable.NOT_MAPPED, t.get(256));
        assertEquals(RemapTable.NOT_MAPPED, t.get(0));
        t.put(256 + 131, 7); // a replacement in the packed region
        t.put(256 + 64, 8); // an insertion at the start of a word, between two mappings
        assertEquals(7, t.get(256 + 131));
        assertEquals(8, t.get(256 + 64));
        assertEquals(0, t.get(256 + 70));
        assertEquals(2, t.get(256 + 192));
        assertEquals(5, t.size());
        int[] offsets = new int[8];
        long[] spares = new long[8];
        assertEquals(3, t.mappingsInRange(256 + 64, 128, offsets, spares, 0)); // 64..191: not 192
        assertArrayEquals(new int[] {0, 6, 67}, Arrays.copyOf(offsets, 3));
        assertArrayEquals(new long[] {8, 0, 7}, Arrays.copyOf(spares, 3));
    }

    @Test
    void aRegionMovesBackIntoTheHashWhenRemovalsLeaveItSparse() {
        IncrementalRemapTable hash = new IncrementalRemapTable();
        DenseRegionTable t = new DenseRegionTable(hash, 1024, 1000, SHIFT);
        for (int i = 0; i < 4; i++) {
            t.put(i * 50, 100 + i);
        }
        assertEquals(1, t.denseRegions());
        for (int i = 0; i < 2; i++) {
            assertEquals(100 + i, t.remove(i * 50));
        }
        assertEquals(1, t.denseRegions(), "two mappings: not below the move-out threshold yet");
        assertEquals(102, t.remove(100));
        assertEquals(0, t.denseRegions());
        assertEquals(1, hash.size());
        assertEquals(1, t.size());
        assertEquals(103, t.get(150));
        assertEquals(RemapTable.NOT_MAPPED, t.get(100));
        assertArrayEquals(new long[] {1, 1}, t.regionMoves());
    }

    @Test
    void answersExactlyLikeAMapThroughRandomPutsUpdatesRemovesAndRegionMoves() {
        DenseRegionTable t = new DenseRegionTable(new PresenceFilteredTable(new IncrementalRemapTable(), 2048),
                2048, 1 << 20, SHIFT);
        Map<Long, Long> model = new HashMap<>();
        SplittableRandom rnd = new SplittableRandom(11);
        for (int step = 0; step < 120_000; step++) {
            // phases of filling and draining (long enough to empty a region below 1 block in 128) so regions move in
            // and out many times
            boolean filling = (step / 15_000) % 2 == 0;
            long lba = rnd.nextInt(2048);
            if (rnd.nextInt(20) < (filling ? 4 : 20)) { // draining only removes: regions empty
                Long old = model.remove(lba);
                assertEquals(old == null ? RemapTable.NOT_MAPPED : old, t.remove(lba));
            } else {
                long spare = rnd.nextInt(1 << 20);
                Long old = model.put(lba, spare);
                assertEquals(old == null ? RemapTable.NOT_MAPPED : old, t.put(lba, spare));
            }
            long probe = rnd.nextInt(2048);
            assertEquals(model.getOrDefault(probe, RemapTable.NOT_MAPPED), t.get(probe), "LBA " + probe);
            assertEquals(model.size(), t.size());
            if (step % 50 == 0) {
                RangeCheck.assertRangeMatches(model, t, rnd.nextInt(2048), 1 + rnd.nextInt(600));
            }
        }
        long[] moves = t.regionMoves();
        assertTrue(moves[0] > 20 && moves[1] > 20, "regions moved in and out: " + moves[0] + "/" + moves[1]);
        Map<Long, Long> seen = new HashMap<>();
        t.forEach((lba, spare) -> assertEquals(null, seen.put(lba, spare), "visited twice: " + lba));
        assertEquals(model, seen);
    }

    @Test
    void lbasOutsideTheDataAreaStayInTheHash() {
        IncrementalRemapTable hash = new IncrementalRemapTable();
        DenseRegionTable t = new DenseRegionTable(hash, 64, 1000, SHIFT);
        for (int i = 0; i < 40; i++) {
            t.put(1000 + i, i);
        }
        assertEquals(40, hash.size());
        assertEquals(0, t.denseRegions());
        assertEquals(7, t.get(1007));
    }

    @Test
    void spareAreasBeyondAnIntNeverUseArrays() {
        IncrementalRemapTable hash = new IncrementalRemapTable();
        DenseRegionTable t = new DenseRegionTable(hash, 1024, 1L << 32, SHIFT);
        for (int i = 0; i < 64; i++) {
            t.put(i, (1L << 31) + i);
        }
        assertEquals(0, t.denseRegions());
        assertEquals((1L << 31) + 5, t.get(5));
    }

    @Test
    void aSpareOutsideTheSpareAreaIsRefused() {
        DenseRegionTable t = new DenseRegionTable(new IncrementalRemapTable(), 1024, 100, SHIFT);
        assertThrows(IllegalArgumentException.class, () -> t.put(1, 100));
        assertThrows(IllegalArgumentException.class, () -> t.put(1, -1));
    }

    @Test
    void aRegionAtTheMoveInDensityCostsLessThanTheHashPerMappingAndAtTheMoveOutDensityAtMost32Bytes() {
        IncrementalRemapTable alone = new IncrementalRemapTable();
        DenseRegionTable t = new DenseRegionTable(new IncrementalRemapTable(), 1 << 20, 1 << 20);
        long baseline = t.memoryBytes();
        long hashBaseline = alone.memoryBytes();
        int regions = 64;
        for (int r = 0; r < regions; r++) {
            for (int i = 0; i < 64; i++) {
                long lba = r * 4096L + i * 64L; // one block in 64 of each region
                t.put(lba, lba);
                alone.put(lba, lba);
            }
        }
        assertEquals(regions, t.denseRegions());
        int mappings = regions * 64;
        double packedPerMapping = (double) (t.memoryBytes() - baseline) / mappings;
        double hashPerMapping = (double) (alone.memoryBytes() - hashBaseline) / mappings;
        assertTrue(packedPerMapping < hashPerMapping,
                "packed " + packedPerMapping + " against the hash's " + hashPerMapping + " bytes per mapping");
        for (int r = 0; r < regions; r++) {
            for (int i = 32; i < 64; i++) {
                t.remove(r * 4096L + i * 64L); // down to 32 of 4096: still packed, at its most costly
            }
        }
        assertEquals(regions, t.denseRegions());
        double atMoveOut = (double) (t.memoryBytes() - baseline) / (regions * 32);
        assertTrue(atMoveOut <= 32, "packed bytes per mapping just above the move-out threshold: " + atMoveOut);
    }

    @Test
    void aDenselyRemappedRegionCostsLessThanTheHashPerMapping() {
        IncrementalRemapTable hash = new IncrementalRemapTable();
        DenseRegionTable t = new DenseRegionTable(hash, 1 << 20, 1 << 20);
        long baseline = t.memoryBytes();
        for (int i = 0; i < 1 << 14; i++) {
            t.put(i * 2L, i); // 8 regions of 4096 blocks, half of each remapped
        }
        assertEquals(8, t.denseRegions());
        double perMapping = (double) (t.memoryBytes() - baseline) / (1 << 14);
        assertTrue(perMapping <= 4.5, "array bytes per mapping at half density: " + perMapping);
    }

    @Test
    void hugeVolumesGrowTheirRegionsToBoundTheDirectory() {
        DenseRegionTable t = new DenseRegionTable(new IncrementalRemapTable(), 1L << 36, 1000);
        assertEquals(1L << 16, t.regionBlocks());
        assertTrue(t.memoryBytes() <= 9L << 20, "directory bytes: " + t.memoryBytes());
    }

    @Test
    void concurrentReadersNeverMissAStableMappingWhileItsRegionMovesInAndOut() throws Exception {
        // 512 LBAs per region: moves in at 8 mappings, out below 4
        DenseRegionTable t = new DenseRegionTable(new IncrementalRemapTable(), 1024, 1 << 20, 9);
        // LBAs 0..2 of region 0 stay mapped; 6..29 churn so the region moves in (at 8) and out (below 4)
        for (int i = 0; i < STABLE; i++) {
            t.put(i, 500 + i);
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<String> failure = new AtomicReference<>();
        Thread[] readers = new Thread[2];
        for (int k = 0; k < readers.length; k++) {
            readers[k] = new Thread(() -> {
                int[] offsets = new int[64];
                long[] spares = new long[64];
                for (long n = 0; !stop.get() && n < 500_000_000L; n++) {
                    int lba = (int) (n % STABLE);
                    long s = t.get(lba);
                    if (s != 500 + lba) {
                        failure.compareAndSet(null, "LBA " + lba + " read " + s);
                        return;
                    }
                    if (t.size() < STABLE) {
                        failure.compareAndSet(null, "size below the stable mappings: " + t.size());
                        return;
                    }
                    if (n % 64 == 0) {
                        int found = t.mappingsInRange(0, 64, offsets, spares, 0);
                        for (int j = 0; j < STABLE; j++) {
                            if (found < STABLE || offsets[j] != j || spares[j] != 500 + j) {
                                failure.compareAndSet(null, "range scan lost stable mapping " + j + " (found "
                                        + found + ")");
                                return;
                            }
                        }
                    }
                }
            });
            readers[k].start();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        int cycles = 0;
        while (System.nanoTime() < deadline && cycles < 20_000 && failure.get() == null) {
            for (int i = 6; i < 30; i++) {
                t.put(i, i);
            }
            for (int i = 6; i < 30; i++) {
                t.remove(i);
            }
            cycles++;
        }
        stop.set(true);
        for (Thread r : readers) {
            r.join(10_000);
        }
        assertEquals(null, failure.get());
        assertTrue(t.regionMoves()[0] >= cycles && cycles > 10, "cycles " + cycles);
    }
}
