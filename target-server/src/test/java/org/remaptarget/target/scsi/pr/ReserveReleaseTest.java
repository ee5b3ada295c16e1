package org.remaptarget.target.scsi.pr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.remaptarget.target.scsi.pr.PrHarness.assertConflict;
import static org.remaptarget.target.scsi.pr.PrHarness.assertGood;
import static org.remaptarget.target.scsi.pr.PrHarness.assertSense;
import static org.remaptarget.target.scsi.pr.PrHarness.fieldPointer;

import org.junit.jupiter.api.Test;
import org.remaptarget.target.scsi.ScsiResult;
import org.remaptarget.target.scsi.SenseReason;

/** RESERVE and RELEASE service actions, ownership, and the unit attentions of releasing (SPC-4 §5.13.9–11). */
class ReserveReleaseTest {
    private static final int WE = 1;
    private static final int EA = 3;
    private static final int WE_RO = 5;
    private static final int EA_RO = 6;
    private static final int WE_AR = 7;
    private static final int EA_AR = 8;

    private final PrHarness h = new PrHarness();

    private void registerAll() {
        assertGood(h.registerIgnore(h.a, 0xA1));
        assertGood(h.registerIgnore(h.b, 0xB1));
        h.tur(h.c);
    }

    @Test
    void reserveCreatesTheReservationWithoutChangingTheGeneration() {
        registerAll();
        assertGood(h.reserve(h.a, 0xA1, EA));
        assertArrayEquals(new long[] {0xA1, EA}, h.reservation(h.c));
        assertEquals(2, h.generation(h.c));
    }

    @Test
    void anAllRegistrantsReservationReportsKeyZero() {
        registerAll();
        assertGood(h.reserve(h.a, 0xA1, WE_AR));
        assertArrayEquals(new long[] {0, WE_AR}, h.reservation(h.c));
    }

    @Test
    void reserveFromAnUnregisteredNexusConflicts() {
        assertConflict(h.reserve(h.c, 0, WE));
        assertNull(h.reservation(h.a));
    }

    @Test
    void reserveWithAKeyOtherThanTheRegisteredOneConflicts() {
        registerAll();
        assertConflict(h.reserve(h.a, 0xB1, WE));
    }

    @Test
    void reserveWhileAnotherNexusHoldsTheReservationConflicts() {
        registerAll();
        h.reserve(h.a, 0xA1, WE);
        assertConflict(h.reserve(h.b, 0xB1, WE));
    }

    @Test
    void theHolderReservingTheSameTypeAgainSucceeds() {
        registerAll();
        h.reserve(h.a, 0xA1, WE);
        assertGood(h.reserve(h.a, 0xA1, WE));
    }

    @Test
    void theHolderReservingAnotherTypeConflicts() {
        registerAll();
        h.reserve(h.a, 0xA1, WE);
        assertConflict(h.reserve(h.a, 0xA1, EA));
    }

    @Test
    void anInvalidTypeIsInvalidFieldInCdbAtTheTypeField() {
        registerAll();
        ScsiResult r = h.reserve(h.a, 0xA1, 2);
        assertSense(r, SenseReason.INVALID_FIELD_IN_CDB);
        assertArrayEquals(new int[] {1, 1, 3, 2}, fieldPointer(r));
    }

    @Test
    void aScopeOtherThanLogicalUnitIsInvalidFieldInCdb() {
        registerAll();
        assertSense(h.reserve(h.a, 0xA1, 0x20 | WE), SenseReason.INVALID_FIELD_IN_CDB);
    }

    @Test
    void releaseByTheHolderEndsTheReservation() {
        registerAll();
        h.reserve(h.a, 0xA1, EA);
        assertGood(h.release(h.a, 0xA1, EA));
        assertNull(h.reservation(h.a));
        assertGood(h.write(h.c));
    }

    @Test
    void releaseWithAnotherTypeIsInvalidReleaseOfPersistentReservation() {
        registerAll();
        h.reserve(h.a, 0xA1, EA);
        assertSense(h.release(h.a, 0xA1, WE), SenseReason.INVALID_RELEASE_OF_PERSISTENT_RESERVATION);
        assertArrayEquals(new long[] {0xA1, EA}, h.reservation(h.a));
    }

    @Test
    void releaseByARegisteredNonHolderSucceedsWithoutReleasing() {
        registerAll();
        h.reserve(h.a, 0xA1, EA);
        assertGood(h.release(h.b, 0xB1, EA));
        assertArrayEquals(new long[] {0xA1, EA}, h.reservation(h.a));
    }

    @Test
    void releaseFromAnUnregisteredNexusConflicts() {
        registerAll();
        h.reserve(h.a, 0xA1, WE);
        assertConflict(h.release(h.c, 0, WE));
    }

    @Test
    void releasingAWriteExclusiveReservationTellsNobody() {
        registerAll();
        h.reserve(h.a, 0xA1, WE);
        h.release(h.a, 0xA1, WE);
        assertGood(h.tur(h.b));
    }

    @Test
    void releasingARegistrantsOnlyReservationTellsTheOtherRegistrants() {
        registerAll();
        h.reserve(h.a, 0xA1, WE_RO);
        h.release(h.a, 0xA1, WE_RO);
        assertSense(h.tur(h.b), SenseReason.RESERVATIONS_RELEASED);
        assertGood(h.tur(h.a));
        assertGood(h.tur(h.c));
    }

    @Test
    void anyRegistrantReleasesAnAllRegistrantsReservation() {
        registerAll();
        h.reserve(h.a, 0xA1, EA_AR);
        assertGood(h.release(h.b, 0xB1, EA_AR));
        assertSense(h.tur(h.a), SenseReason.RESERVATIONS_RELEASED);
        assertNull(h.reservation(h.a));
    }

    @Test
    void unregisteringTheHolderReleasesTheReservation() {
        registerAll();
        h.reserve(h.a, 0xA1, EA);
        h.register(h.a, 0xA1, 0);
        assertNull(h.reservation(h.b));
        assertGood(h.tur(h.b));
    }

    @Test
    void unregisteringARegistrantsOnlyHolderTellsTheRemainingRegistrants() {
        registerAll();
        h.reserve(h.a, 0xA1, EA_RO);
        h.register(h.a, 0xA1, 0);
        assertSense(h.tur(h.b), SenseReason.RESERVATIONS_RELEASED);
        assertNull(h.reservation(h.b));
    }

    @Test
    void anAllRegistrantsReservationLastsUntilTheLastRegistrantLeaves() {
        registerAll();
        h.reserve(h.a, 0xA1, WE_AR);
        h.register(h.a, 0xA1, 0);
        assertArrayEquals(new long[] {0, WE_AR}, h.reservation(h.c));
        assertConflict(h.write(h.c));
        h.register(h.b, 0xB1, 0);
        assertNull(h.reservation(h.c));
        assertGood(h.write(h.c));
    }

    @Test
    void changingTheHoldersKeyKeepsTheReservationUnderTheNewKey() {
        registerAll();
        h.reserve(h.a, 0xA1, WE);
        h.register(h.a, 0xA1, 0xA9);
        assertArrayEquals(new long[] {0xA9, WE}, h.reservation(h.b));
    }
}
