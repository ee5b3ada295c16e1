package org.remaptarget.remap.spare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SpareAllocatorTest {

    @Test
    void everySpareIsHandedOutExactlyOnce() {
        SpareAllocator a = new SpareAllocator(100);
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            assertTrue(seen.add(a.allocate()));
        }
        assertEquals(-1, a.allocate());
        assertEquals(0, a.freeCount());
    }

    @Test
    void markingASpareUsedTwiceIsRejectedAsDoubleAllocation() {
        SpareAllocator a = new SpareAllocator(10);
        a.markUsed(3);
        assertThrows(IllegalStateException.class, () -> a.markUsed(3));
    }

    @Test
    void retiredSpareIsNeverAllocatedAgain() {
        SpareAllocator a = new SpareAllocator(3);
        a.markRetired(1);
        assertEquals(0, a.allocate());
        assertEquals(2, a.allocate());
        assertEquals(-1, a.allocate());
        assertThrows(IllegalStateException.class, () -> a.markUsed(1));
    }

    @Test
    void releasedSpareIsAvailableAgain() {
        SpareAllocator a = new SpareAllocator(1);
        long s = a.allocate();
        a.release(s);
        assertEquals(s, a.allocate());
        assertThrows(IllegalStateException.class, () -> {
            a.release(s);
            a.release(s);
        });
    }

    @Test
    void reserveTakesOnlyAFreeSpare() {
        SpareAllocator a = new SpareAllocator(4);
        assertTrue(a.reserve(2));
        assertFalse(a.reserve(2));
        a.markRetired(2);
        assertFalse(a.reserve(2));
        assertEquals(1, a.retiredCount());
        assertEquals(0, a.usedCount());
    }

    @Test
    void allocationContinuesAfterTheLastOneAndWrapsAround() {
        SpareAllocator a = new SpareAllocator(4);
        assertEquals(0, a.allocate());
        assertEquals(1, a.allocate());
        a.release(0);
        assertEquals(2, a.allocate());
        assertEquals(3, a.allocate());
        assertEquals(0, a.allocate());
    }
}
