package org.remaptarget.target.scsi.pr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.remaptarget.target.scsi.pr.PrHarness.assertConflict;
import static org.remaptarget.target.scsi.pr.PrHarness.assertGood;
import static org.remaptarget.target.scsi.pr.PrHarness.assertSense;
import static org.remaptarget.target.scsi.pr.PrHarness.params;
import static org.remaptarget.target.scsi.pr.PrHarness.prin;
import static org.remaptarget.target.scsi.pr.PrHarness.proutCdb;
import static org.remaptarget.target.scsi.pr.PrHarness.u32;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.remaptarget.target.scsi.Nexus;
import org.remaptarget.target.scsi.ScsiFailure;
import org.remaptarget.target.scsi.ScsiResult;
import org.remaptarget.target.scsi.SenseReason;
import org.remaptarget.target.scsi.TaskManagementFunction;

/** REGISTER and REGISTER AND IGNORE EXISTING KEY, PRgeneration, and what registrations survive. */
class RegistrationTest {
    private final PrHarness h = new PrHarness();

    @Test
    void registerAddsTheKeyAndBumpsTheGeneration() {
        assertGood(h.register(h.a, 0, 0xA1));
        assertEquals(List.of(0xA1L), h.keys(h.b));
        assertEquals(1, h.generation(h.a));
    }

    @Test
    void registerFromAnUnregisteredNexusWithANonZeroReservationKeyConflicts() {
        assertConflict(h.register(h.a, 0x55, 0xA1));
        assertEquals(List.of(), h.keys(h.a));
        assertEquals(0, h.generation(h.a));
    }

    @Test
    void reRegisteringWithTheWrongCurrentKeyConflicts() {
        h.register(h.a, 0, 0xA1);
        assertConflict(h.register(h.a, 0xA2, 0xA3));
        assertEquals(List.of(0xA1L), h.keys(h.a));
    }

    @Test
    void registerWithTheCurrentKeyReplacesIt() {
        h.register(h.a, 0, 0xA1);
        assertGood(h.register(h.a, 0xA1, 0xA2));
        assertEquals(List.of(0xA2L), h.keys(h.a));
        assertEquals(2, h.generation(h.a));
    }

    @Test
    void registerAndIgnoreExistingKeyReplacesAKeyItDoesNotKnow() {
        h.register(h.a, 0, 0xA1);
        assertGood(h.registerIgnore(h.a, 0xB7));
        assertEquals(List.of(0xB7L), h.keys(h.a));
    }

    @Test
    void registeringAZeroKeyUnregisters() {
        h.registerIgnore(h.a, 0xA1);
        h.registerIgnore(h.b, 0xB1);
        assertGood(h.register(h.a, 0xA1, 0));
        assertEquals(List.of(0xB1L), h.keys(h.a));
        assertEquals(3, h.generation(h.a));
    }

    @Test
    void unregisteringANexusThatIsNotRegisteredChangesNothing() {
        assertGood(h.registerIgnore(h.a, 0));
        assertEquals(0, h.generation(h.a));
    }

    @Test
    void eachNexusHasItsOwnRegistrationEvenWithTheSameKey() {
        h.registerIgnore(h.a, 0x77);
        h.registerIgnore(h.b, 0x77);
        assertEquals(List.of(0x77L, 0x77L), h.keys(h.c));
    }

    @Test
    void aSecondSessionWithAnotherIsidIsAnotherInitiatorPort() {
        h.registerIgnore(h.a, 0xA1);
        Nexus sameNameOtherIsid = new Nexus(h.a.initiatorName(), 0x23d0000000ffL, h.a.targetName(), h.a.tpgt(), 9);
        assertConflict(h.register(sameNameOtherIsid, 0xA1, 0xA2));
    }

    @Test
    void allTargetPortsRegistrationCoversTheSameInitiatorOnAnotherPortalGroup() {
        assertGood(h.prout(h.a, 0, 0, 0, 0xA1, 0x04));
        Nexus otherPort = new Nexus(h.a.initiatorName(), h.a.isid(), h.a.targetName(), 7, 9);
        assertGood(h.register(otherPort, 0xA1, 0xA2));
        assertEquals(List.of(0xA2L), h.keys(h.a));
    }

    @Test
    void withoutAllTargetPortsARegistrationIsForOneTargetPortOnly() {
        h.registerIgnore(h.a, 0xA1);
        Nexus otherPort = new Nexus(h.a.initiatorName(), h.a.isid(), h.a.targetName(), 7, 9);
        assertConflict(h.register(otherPort, 0xA1, 0xA2));
    }

    @Test
    void registrationsSurviveNexusLoss() {
        h.registerIgnore(h.a, 0xA1);
        h.core.nexusLost(h.a);
        assertEquals(List.of(0xA1L), h.keys(h.b));
    }

    @Test
    void theReservationSurvivesTheHoldersNexusLoss() {
        h.registerIgnore(h.a, 0xA1);
        h.reserve(h.a, 0xA1, 3);
        h.core.nexusLost(h.a);
        assertArrayEquals(new long[] {0xA1, 3}, h.reservation(h.b));
        assertEquals(ScsiResult.RESERVATION_CONFLICT, h.write(h.b).status());
    }

    @Test
    void theReportedRelativeTargetPortMatchesTheDeviceIdentificationPage() {
        byte[] d = PrHarness.data(h.run(h.a, new byte[] {0x12, 1, (byte) 0x83, 0, (byte) 255, 0}, null));
        int found = -1;
        for (int p = 4; p + 4 <= d.length; p += 4 + (d[p + 3] & 0xff)) {
            if ((d[p + 1] & 0x0f) == 4 && ((d[p + 1] >>> 4) & 3) == 1) {
                found = ((d[p + 6] & 0xff) << 8) | (d[p + 7] & 0xff);
            }
        }
        assertEquals(PrInHandler.RELATIVE_TARGET_PORT, found);
    }

    @Test
    void registrationsAndReservationsSurviveALogicalUnitReset() {
        h.registerIgnore(h.a, 0xA1);
        assertGood(h.reserve(h.a, 0xA1, 3));
        h.core.taskManagement(h.b, TaskManagementFunction.LOGICAL_UNIT_RESET, 0, 0);
        h.tur(h.b); // consumes the reset unit attention
        assertEquals(List.of(0xA1L), h.keys(h.b));
        assertArrayEquals(new long[] {0xA1, 3}, h.reservation(h.b));
    }

    @Test
    void aParameterListOtherThanTwentyFourBytesIsAParameterListLengthError() {
        ScsiResult r = h.run(h.a, proutCdb(0, 0, 16), new byte[16]);
        assertSense(r, SenseReason.PARAMETER_LIST_LENGTH_ERROR);
        assertEquals(0, h.generation(h.a));
    }

    @Test
    void lessDataOutThanTheParameterListLengthIsRejected() {
        ScsiResult r = h.run(h.a, proutCdb(0, 0, 24), new byte[8]);
        assertSense(r, SenseReason.INVALID_FIELD_IN_INFORMATION_UNIT);
    }

    @Test
    void anUndefinedOutServiceActionIsInvalidFieldInCdb() {
        assertSense(h.run(h.a, proutCdb(0x08, 0, 24), params(0, 0, 0)), SenseReason.INVALID_FIELD_IN_CDB);
    }

    @Test
    void readKeysTruncatedToEightBytesStillReportsTheFullListLength() {
        h.registerIgnore(h.a, 0xA1);
        ScsiResult r = h.run(h.a, prin(0, 8), null);
        assertGood(r);
        byte[] d = PrHarness.data(r);
        assertEquals(8, d.length);
        assertEquals(8, u32(d, 4));
    }

    @Test
    void registrationsBeyondTheLimitFailWithInsufficientRegistrationResources() {
        PrOutActions.Request q = new PrOutActions.Request(h.b, null, 0, 0xB1, false, false);
        PrState one = PrState.EMPTY.next(List.of(new Registration(Registrant.of(h.a, false), 0xA1)), null, false);
        ScsiFailure f = assertThrows(ScsiFailure.class, () -> PrOutActions.register(one, q, false, 1));
        assertEquals(SenseReason.INSUFFICIENT_REGISTRATION_RESOURCES, f.reason());
    }
}
