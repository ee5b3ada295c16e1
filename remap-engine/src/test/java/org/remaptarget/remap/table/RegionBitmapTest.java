package org.remaptarget.remap.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RegionBitmapTest {

    @Test
    void rangesAcrossWordBoundariesSetAndFindExactlyTheRegionsTheyTouch() {
        RegionBitmap b = new RegionBitmap(1 << 16, 4, 20); // 4096 regions of 16 blocks
        BitSet model = new BitSet();
        SplittableRandom rnd = new SplittableRandom(5);
        for (int i = 0; i < 2_000; i++) {
            long lba = rnd.nextInt(1 << 16);
            long n = 1 + rnd.nextInt((int) Math.min(3000, (1 << 16) - lba));
            long from = lba >>> 4;
            long to = (lba + n - 1) >>> 4;
            boolean expectAny = model.nextSetBit((int) from) >= 0 && model.nextSetBit((int) from) <= to;
            assertEquals(expectAny, b.any(lba, n), "any [" + lba + ", +" + n + ")");
            if (rnd.nextInt(8) == 0) {
                b.set(lba, n);
                model.set((int) from, (int) to + 1);
            }
            long probe = rnd.nextInt(1 << 16);
            assertEquals(model.get((int) (probe >>> 4)), b.get(probe));
            long r = rnd.nextInt(4096);
            int want = model.nextSetBit((int) r);
            assertEquals(want < 0 || want > 4095 ? -1 : want, b.nextSet(r, 4095));
        }
    }

    @Test
    void theShiftGrowsUntilTheRegionsFitTheCap() {
        assertEquals(4, RegionBitmap.shiftFor(1L << 25, 4, 21)); // 2^21 regions of 16 blocks: fits
        assertEquals(5, RegionBitmap.shiftFor((1L << 25) + 1, 4, 21));
        assertEquals(9, new RegionBitmap(1L << 36, 0, 27).shift());
        assertEquals(0, new RegionBitmap(1, 0, 27).shift());
    }

    @Test
    void nextSetStopsAtTheLastRegionAsked() {
        RegionBitmap b = new RegionBitmap(1 << 12, 0, 20);
        b.set(700);
        assertEquals(-1, b.nextSet(0, 699));
        assertEquals(700, b.nextSet(0, 700));
        assertEquals(-1, b.nextSet(701, 4095));
        assertTrue(b.get(700));
        assertFalse(b.get(701));
    }
}
