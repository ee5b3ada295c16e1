package org.remaptarget.target.scsi.pr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.remaptarget.target.scsi.pr.PrHarness.assertConflict;
import static org.remaptarget.target.scsi.pr.PrHarness.assertGood;

import org.junit.jupiter.api.Test;
import org.remaptarget.target.scsi.ScsiResult;

/** SPC-2 RESERVE/RELEASE next to persistent reservations (SPC-4 §5.13.3). */
class Spc2InterplayTest {
    private static final byte[] RESERVE6 = {0x16, 0, 0, 0, 0, 0};
    private static final byte[] RELEASE6 = {0x17, 0, 0, 0, 0, 0};
    private static final byte[] RESERVE10 = {0x56, 0, 0, 0, 0, 0, 0, 0, 0, 0};

    private final PrHarness h = new PrHarness();

    @Test
    void reserveSixFromANonHolderWhileAPersistentReservationExistsConflicts() {
        h.registerIgnore(h.a, 0xA1);
        h.reserve(h.a, 0xA1, 1);
        assertConflict(h.run(h.c, RESERVE6, null));
        assertConflict(h.run(h.c, RESERVE10, null));
    }

    @Test
    void reserveSixFromThePersistentHolderSucceedsWithoutTakingAnSpc2Reservation() {
        h.registerIgnore(h.a, 0xA1);
        h.reserve(h.a, 0xA1, 1);
        assertGood(h.run(h.a, RESERVE6, null));
        h.release(h.a, 0xA1, 1);
        assertGood(h.write(h.c));
    }

    @Test
    void releaseSixFromARegistrantOfARegistrantsOnlyReservationLeavesItInPlace() {
        h.registerIgnore(h.a, 0xA1);
        h.registerIgnore(h.b, 0xB1);
        h.reserve(h.a, 0xA1, 5);
        assertGood(h.run(h.b, RELEASE6, null));
        assertEquals(5, h.reservation(h.c)[1]);
    }

    @Test
    void releaseSixFromAnUnregisteredNexusUnderAPersistentReservationConflicts() {
        h.registerIgnore(h.a, 0xA1);
        h.reserve(h.a, 0xA1, 1);
        assertConflict(h.run(h.c, RELEASE6, null));
    }

    @Test
    void whileAnybodyIsRegisteredReserveAndReleaseConflictEvenWithoutAReservation() {
        h.registerIgnore(h.a, 0xA1);
        assertConflict(h.run(h.c, RESERVE6, null));
        assertConflict(h.run(h.a, RESERVE6, null));
        assertConflict(h.run(h.c, RELEASE6, null));
    }

    @Test
    void onceTheLastRegistrationIsGoneSpc2ReservationsWorkAgain() {
        h.registerIgnore(h.a, 0xA1);
        h.register(h.a, 0xA1, 0);
        assertGood(h.run(h.c, RESERVE6, null));
        assertGood(h.run(h.c, RELEASE6, null));
    }

    @Test
    void anotherNexusesSpc2ReservationBlocksPersistentReserveOut() {
        assertGood(h.run(h.c, RESERVE6, null));
        assertConflict(h.registerIgnore(h.a, 0xA1));
    }

    @Test
    void anotherNexusesSpc2ReservationBlocksPersistentReserveIn() {
        assertGood(h.run(h.c, RESERVE6, null));
        ScsiResult r = h.run(h.a, PrHarness.prin(0, 100), null);
        assertConflict(r);
    }

    @Test
    void theSpc2HolderItselfMayUsePersistentReserveOut() {
        assertGood(h.run(h.c, RESERVE6, null));
        assertGood(h.registerIgnore(h.c, 0xC1));
    }
}
