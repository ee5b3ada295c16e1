package org.remaptarget.remap.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TablePolicyTest {

    @Test
    void defaultsAreTheDmRemapThresholdsWithIncrementalRehash() {
        TablePolicy p = TablePolicy.defaults();
        assertEquals(150, p.growLoadPercent());
        assertEquals(50, p.shrinkLoadPercent());
        assertEquals(64, p.minBuckets());
        assertTrue(p.incrementalRehash());
    }

    @Test
    void loadUsesIntegerDivision() {
        assertEquals(151, TablePolicy.load(97, 64));
        assertEquals(150, TablePolicy.load(96, 64));
        assertEquals(150, TablePolicy.load(193, 128));
    }

    @Test
    void sixtyFourBucketsWantToDoubleAtTheNinetySeventhEntryAndNotBefore() {
        TablePolicy p = TablePolicy.defaults();
        assertEquals(64, p.targetBuckets(96, 64));
        assertEquals(128, p.targetBuckets(97, 64));
    }

    @Test
    void bucketsWantToHalveOnlyBelowTheShrinkLoad() {
        TablePolicy p = TablePolicy.defaults();
        assertEquals(128, p.targetBuckets(64, 128));
        assertEquals(64, p.targetBuckets(63, 128));
    }

    @Test
    void bucketsNeverWantToGoBelowTheMinimum() {
        assertEquals(64, TablePolicy.defaults().targetBuckets(0, 64));
    }

    @Test
    void growAndShrinkCountsAgreeWithTheLoadRule() {
        TablePolicy p = TablePolicy.defaults();
        for (long b = 64; b <= 1 << 20; b *= 2) {
            long grow = p.growCount(b);
            assertEquals(2 * b, p.targetBuckets(grow, b), "grow point for " + b);
            assertEquals(b, p.targetBuckets(grow - 1, b), "just below grow point for " + b);
            long shrink = p.shrinkCount(b);
            if (b == 64) {
                assertEquals(-1, shrink);
            } else {
                assertEquals(b / 2, p.targetBuckets(shrink, b), "shrink point for " + b);
                assertEquals(b, p.targetBuckets(shrink + 1, b), "just above shrink point for " + b);
            }
        }
    }

    @Test
    void aGrowThresholdBelowTwiceTheShrinkThresholdIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TablePolicy(99, 50, 64));
    }

    @Test
    void aMinimumBucketCountThatIsNotAPowerOfTwoIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TablePolicy(150, 50, 100));
    }

    @Test
    void aNonPositiveGrowThresholdIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TablePolicy(0, 0, 64));
    }

    @Test
    void aNegativeShrinkThresholdIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TablePolicy(150, -1, 64));
    }
}
