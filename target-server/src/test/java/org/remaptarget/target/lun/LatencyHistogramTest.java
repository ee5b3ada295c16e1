package org.remaptarget.target.lun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void countsAreCumulativeByUpperBoundAndTheLastBucketTakesTheSlowest() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(30_000);           // 30 us  -> <= 50 us
        h.record(50_000);           // 50 us  -> <= 50 us (bounds are inclusive)
        h.record(700_000);          // 700 us -> <= 1 ms
        h.record(60_000_000_000L);  // 60 s   -> +Inf
        long[] c = h.cumulativeCounts();
        assertEquals(LatencyHistogram.boundsSeconds().length + 1, c.length);
        assertEquals(2, c[0]);
        assertEquals(2, c[2]);      // <= 250 us
        assertEquals(3, c[4]);      // <= 1 ms
        assertEquals(3, c[c.length - 2]);
        assertEquals(4, c[c.length - 1]);
        assertEquals(60.00078, h.sumSeconds(), 1e-9);
    }

    @Test
    void boundsAreAscendingSeconds() {
        double[] b = LatencyHistogram.boundsSeconds();
        assertEquals(0.00005, b[0], 1e-12);
        for (int i = 1; i < b.length; i++) {
            assertEquals(true, b[i] > b[i - 1]);
        }
        assertArrayEquals(new long[] {0, 0}, java.util.Arrays.copyOf(new LatencyHistogram().cumulativeCounts(), 2));
    }
}
