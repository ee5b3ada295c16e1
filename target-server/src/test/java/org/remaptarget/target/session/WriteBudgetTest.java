package org.remaptarget.target.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class WriteBudgetTest {
    @Test
    void reservationWithinCapacityIsGrantedAtOnce() {
        WriteBudget b = new WriteBudget(100);
        assertTrue(b.acquireOrWait(60, () -> { }));
        assertEquals(60, b.used());
    }

    @Test
    void reservationBeyondCapacityWaitsForARelease() {
        WriteBudget b = new WriteBudget(100);
        b.acquireOrWait(60, () -> { });
        AtomicInteger woken = new AtomicInteger();
        assertFalse(b.acquireOrWait(60, woken::incrementAndGet));
        assertEquals(1, b.waiting());
        b.release(60);
        assertEquals(1, woken.get());
        assertEquals(0, b.waiting());
        assertEquals(0, b.used());
    }

    @Test
    void oversizedReservationIsGrantedWhenNothingElseIsHeld() {
        WriteBudget b = new WriteBudget(100);
        assertTrue(b.acquireOrWait(1000, () -> { }));
    }

    @Test
    void unsolicitedDataIsChargedEvenBeyondCapacity() {
        WriteBudget b = new WriteBudget(100);
        b.charge(150);
        assertEquals(150, b.used());
        assertFalse(b.acquireOrWait(1, () -> { }));
    }
}
