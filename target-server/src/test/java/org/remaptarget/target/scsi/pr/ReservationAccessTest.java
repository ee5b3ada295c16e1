package org.remaptarget.target.scsi.pr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.remaptarget.target.scsi.pr.PrHarness.assertConflict;
import static org.remaptarget.target.scsi.pr.PrHarness.assertGood;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.remaptarget.target.scsi.Nexus;
import org.remaptarget.target.scsi.ScsiResult;

/**
 * Which commands a persistent reservation lets through, per type (SPC-4 §5.13.1, SBC-3 §4.17): nexus a holds the
 * reservation, b is registered, c is not.
 */
class ReservationAccessTest {
    private final PrHarness h = new PrHarness();

    private void reserveAs(PrType type) {
        assertGood(h.registerIgnore(h.a, 0xA1));
        assertGood(h.registerIgnore(h.b, 0xB1));
        assertGood(h.reserve(h.a, 0xA1, type.code()));
    }

    private static void assertAccess(boolean allowed, ScsiResult r) {
        if (allowed) {
            assertGood(r);
        } else {
            assertConflict(r);
        }
    }

    @ParameterizedTest
    @EnumSource(PrType.class)
    void theHolderReadsAndWritesUnderEveryType(PrType type) {
        reserveAs(type);
        assertGood(h.read(h.a));
        assertGood(h.write(h.a));
    }

    @ParameterizedTest
    @CsvSource({"WRITE_EXCLUSIVE,true,false", "EXCLUSIVE_ACCESS,false,false",
        "WRITE_EXCLUSIVE_REGISTRANTS_ONLY,true,true", "EXCLUSIVE_ACCESS_REGISTRANTS_ONLY,true,true",
        "WRITE_EXCLUSIVE_ALL_REGISTRANTS,true,true", "EXCLUSIVE_ACCESS_ALL_REGISTRANTS,true,true"})
    void aRegisteredNonHolderGetsWhatTheTypeAllows(PrType type, boolean read, boolean write) {
        reserveAs(type);
        assertAccess(read, h.read(h.b));
        assertAccess(write, h.write(h.b));
    }

    @ParameterizedTest
    @CsvSource({"WRITE_EXCLUSIVE,true", "EXCLUSIVE_ACCESS,false", "WRITE_EXCLUSIVE_REGISTRANTS_ONLY,true",
        "EXCLUSIVE_ACCESS_REGISTRANTS_ONLY,false", "WRITE_EXCLUSIVE_ALL_REGISTRANTS,true",
        "EXCLUSIVE_ACCESS_ALL_REGISTRANTS,false"})
    void anUnregisteredNexusMayReadOnlyThroughWriteExclusiveTypesAndNeverWrite(PrType type, boolean read) {
        reserveAs(type);
        assertAccess(read, h.read(h.c));
        assertConflict(h.write(h.c));
    }

    @Test
    void testUnitReadyPassesThroughExclusiveAccess() {
        reserveAs(PrType.EXCLUSIVE_ACCESS);
        assertGood(h.tur(h.c));
    }

    @Test
    void readCapacityAndInquiryPassThroughExclusiveAccess() {
        reserveAs(PrType.EXCLUSIVE_ACCESS);
        assertGood(h.run(h.c, new byte[] {0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0}, null));
        assertGood(h.run(h.c, new byte[] {0x12, 0, 0, 0, 96, 0}, null));
    }

    @Test
    void persistentReserveInPassesThroughExclusiveAccess() {
        reserveAs(PrType.EXCLUSIVE_ACCESS);
        assertEquals(2, h.keys(h.c).size());
    }

    @Test
    void modeSenseIsAReadThroughWriteExclusive() {
        reserveAs(PrType.WRITE_EXCLUSIVE);
        assertGood(h.run(h.c, new byte[] {0x1A, 0, 0x3F, 0, (byte) 255, 0}, null));
    }

    @Test
    void modeSenseConflictsThroughExclusiveAccess() {
        reserveAs(PrType.EXCLUSIVE_ACCESS);
        assertConflict(h.run(h.c, new byte[] {0x1A, 0, 0x3F, 0, (byte) 255, 0}, null));
    }

    @Test
    void synchronizeCacheIsAWriteForAnUnregisteredNexus() {
        reserveAs(PrType.WRITE_EXCLUSIVE_REGISTRANTS_ONLY);
        assertConflict(h.run(h.c, new byte[] {0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0}, null));
        assertGood(h.run(h.b, new byte[] {0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0}, null));
    }

    @Test
    void allowingMediumRemovalPassesButPreventingItConflicts() {
        reserveAs(PrType.WRITE_EXCLUSIVE);
        assertGood(h.run(h.c, new byte[] {0x1E, 0, 0, 0, 0, 0}, null));
        assertConflict(h.run(h.c, new byte[] {0x1E, 0, 0, 0, 1, 0}, null));
    }

    @Test
    void startingTheUnitPassesButStoppingItConflicts() {
        reserveAs(PrType.EXCLUSIVE_ACCESS);
        assertGood(h.run(h.c, new byte[] {0x1B, 0, 0, 0, 1, 0}, null));
        assertConflict(h.run(h.c, new byte[] {0x1B, 0, 0, 0, 0, 0}, null));
    }

    @Test
    void registrationsWithoutAReservationRestrictNothing() {
        h.registerIgnore(h.a, 0xA1);
        assertGood(h.write(h.c));
        assertGood(h.read(h.c));
    }

    @Test
    void aNewSessionOfTheHoldingInitiatorPortIsStillTheHolder() {
        reserveAs(PrType.EXCLUSIVE_ACCESS);
        Nexus reinstated = new Nexus(h.a.initiatorName(), h.a.isid(), h.a.targetName(), h.a.tpgt(), 42);
        assertGood(h.write(reinstated));
    }
}
