package org.remaptarget.remap.table;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class DenseRegionTableTest {
    private static final int SHIFT = 6; // 64 LBAs per region: moves in at 16 mappings, out below 8

    @Test
    void aRegionMovesIntoAnArrayWhenAQuarterOfItsBlocksAreRemapped() {
        IncrementalRemapTable hash = new IncrementalRemapTable();
        DenseRegionTable t = new DenseRegionTable(hash, 1024, 1000, SHIFT);
        for (int i = 0; i < 15; i++) {
            t.put(64 + i * 3, i);
        }
        assertEquals(0, t.denseRegions());
        assertEquals(15, hash.size());
        t.put(127, 99);
        assertEquals(1, t.denseRegions());
        assertEquals(0, hash.size(), "the region's mappings left the hash");
        assertEquals(16, t.size());
        for (int i = 0; i < 15; i++) {
            assertEquals(i, t.get(64 + i * 3));
        }
        assertEquals(99, t.get(127));
        assertEquals(RemapTable.NOT_MAPPED, t.get(65));
        assertEquals(RemapTable.NOT_MAPPED, t.get(0));
    }

    @Test
    void aRegionMovesBackIntoTheHashWhenRemovalsLeaveItSparse() {
        IncrementalRemapTable hash = new IncrementalRemapTable();
        DenseRegionTable t = new DenseRegionTable(hash, 1024, 1000, SHIFT);
        for (int i = 0; i < 16; i++) {
            t.put(i, 100 + i);
        }
        assertEquals(1, t.denseRegions());
        for (int i = 0; i < 9; i++) {
            assertEquals(100 + i, t.remove(i));
        }
        assertEquals(0, t.denseRegions());
        assertEquals(7, hash.size());
        assertEquals(7, t.size());
        assertEquals(115, t.get(15));
        assertEquals(RemapTable.NOT_MAPPED, t.get(3));
        assertArrayEquals(new long[] {1, 1}, t.regionMoves());
    }

    @Test
    void answersExactlyLikeAMapThroughRandomPutsUpdatesRemovesAndRegionMoves() {
        DenseRegionTable t = new DenseRegionTable(new PresenceFilteredTable(new IncrementalRemapTable(), 2048),
                2048, 1 << 20, SHIFT);
        Map<Long, Long> model = new HashMap<>();
        SplittableRandom rnd = new SplittableRandom(11);
        for (int step = 0; step < 60_000; step++) {
            // phases of filling and draining so regions move in and out many times
            boolean filling = (step / 5_000) % 2 == 0;
            long lba = rnd.nextInt(2048);
            if (rnd.nextInt(20) < (filling ? 4 : 19)) {
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
    void aDenselyRemappedRegionCostsLessThanTheHashPerMapping() {
        IncrementalRemapTable hash = new IncrementalRemapTable();
        DenseRegionTable t = new DenseRegionTable(hash, 1 << 20, 1 << 20);
        long baseline = t.memoryBytes();
        for (int i = 0; i < 1 << 14; i++) {
            t.put(i * 2L, i); // 8 regions of 4096 blocks, half of each remapped
        }
        assertEquals(8, t.denseRegions());
        double perMapping = (double) (t.memoryBytes() - baseline) / (1 << 14);
        assertTrue(perMapping <= 8.1, "array bytes per mapping at half density: " + perMapping);
    }

    @Test
    void hugeVolumesGrowTheirRegionsToBoundTheDirectory() {
        DenseRegionTable t = new DenseRegionTable(new IncrementalRemapTable(), 1L << 36, 1000);
        assertEquals(1L << 16, t.regionBlocks());
        assertTrue(t.memoryBytes() <= 9L << 20, "directory bytes: " + t.memoryBytes());
    }

    @Test
    void concurrentReadersNeverMissAStableMappingWhileItsRegionMovesInAndOut() throws Exception {
        DenseRegionTable t = new DenseRegionTable(new IncrementalRemapTable(), 256, 1 << 20, SHIFT);
        // LBAs 0..5 of region 0 stay mapped; 6..63 churn so the region moves in and out
        for (int i = 0; i < 6; i++) {
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
                    int lba = (int) (n % 6);
                    long s = t.get(lba);
                    if (s != 500 + lba) {
                        failure.compareAndSet(null, "LBA " + lba + " read " + s);
                        return;
                    }
                    if (t.size() < 6) {
                        failure.compareAndSet(null, "size below the stable mappings: " + t.size());
                        return;
                    }
                    if (n % 64 == 0) {
                        int found = t.mappingsInRange(0, 64, offsets, spares, 0);
                        for (int j = 0; j < 6; j++) {
                            if (found < 6 || offsets[j] != j || spares[j] != 500 + j) {
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
