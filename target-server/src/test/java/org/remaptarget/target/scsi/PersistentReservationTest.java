package org.remaptarget.target.scsi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.remaptarget.target.scsi.Harness.assertGood;
import static org.remaptarget.target.scsi.Harness.assertSense;
import static org.remaptarget.target.scsi.Harness.cdb;
import static org.remaptarget.target.scsi.Harness.data;
import static org.remaptarget.target.scsi.Harness.pattern;
import static org.remaptarget.target.scsi.Harness.rw10;

import org.junit.jupiter.api.Test;

class PersistentReservationTest {
    private static final long K1 = 0x1111L;
    private static final long K2 = 0x2222L;

    private final Harness h = new Harness();

    private ScsiResult prout(Nexus n, int sa, int type, long key, long sark) {
        byte[] p = new byte[24];
        Harness.put(p, 0, key, 8);
        Harness.put(p, 8, sark, 8);
        return h.run(n, 0, cdb(0x5F, sa, type, 0, 0, 0, 0, 0, 24, 0), p);
    }

    private byte[] prin(int sa) {
        return prin(h.a, sa);
    }

    private byte[] prin(Nexus n, int sa) {
        return data(h.run(n, 0, cdb(0x5E, sa, 0, 0, 0, 0, 0, 0x40, 0, 0), null));
    }

    private static long u32(byte[] d, int off) {
        return ((d[off] & 0xffL) << 24) | ((d[off + 1] & 0xff) << 16) | ((d[off + 2] & 0xff) << 8)
                | (d[off + 3] & 0xff);
    }

    @Test
    void readKeysListsRegisteredKeysAndTheGenerationGrows() {
        assertEquals(0, u32(prin(0), 4));
        assertGood(prout(h.a, 0, 0, 0, K1));
        assertGood(prout(h.b, 6, 0, 0, K2));
        byte[] d = prin(0);
        assertEquals(2, u32(d, 0));
        assertEquals(16, u32(d, 4));
        assertEquals(K1, u32(d, 12));
        assertEquals(K2, u32(d, 20));
    }

    @Test
    void registeringWithAWrongExistingKeyIsAReservationConflict() {
        prout(h.a, 0, 0, 0, K1);
        assertEquals(ScsiResult.RESERVATION_CONFLICT, prout(h.a, 0, 0, K2, K2).status());
    }

    @Test
    void writeExclusiveBlocksWritesButNotReadsOfOtherNexuses() {
        prout(h.a, 0, 0, 0, K1);
        assertGood(prout(h.a, 1, 1, K1, 0));
        assertEquals(ScsiResult.RESERVATION_CONFLICT,
                h.run(h.b, 0, rw10(0x2A, 0, 0, 1), pattern(Harness.BS, 0)).status());
        assertGood(h.run(h.b, 0, rw10(0x28, 0, 0, 1), null));
        assertGood(h.run(h.a, 0, rw10(0x2A, 0, 0, 1), pattern(Harness.BS, 0)));
    }

    @Test
    void exclusiveAccessRegistrantsOnlyLetsRegistrantsIn() {
        prout(h.a, 0, 0, 0, K1);
        assertGood(prout(h.a, 1, 6, K1, 0));
        assertEquals(ScsiResult.RESERVATION_CONFLICT, h.run(h.b, 0, rw10(0x28, 0, 0, 1), null).status());
        prout(h.b, 0, 0, 0, K2);
        assertGood(h.run(h.b, 0, rw10(0x28, 0, 0, 1), null));
    }

    @Test
    void readReservationReportsTheHoldersKeyAndType() {
        prout(h.a, 0, 0, 0, K1);
        prout(h.a, 1, 3, K1, 0);
        byte[] d = prin(1);
        assertEquals(16, u32(d, 4));
        assertEquals(K1, u32(d, 12));
        assertEquals(3, d[21]);
    }

    @Test
    void releaseWithTheWrongTypeIsInvalidReleaseOfPersistentReservation() {
        prout(h.a, 0, 0, 0, K1);
        prout(h.a, 1, 1, K1, 0);
        assertSense(prout(h.a, 2, 3, K1, 0), SenseReason.INVALID_RELEASE_OF_PERSISTENT_RESERVATION);
        assertGood(prout(h.a, 2, 1, K1, 0));
        assertEquals(8, prin(1).length);
    }

    @Test
    void preemptRemovesTheVictimsRegistrationAndTellsIt() {
        prout(h.a, 0, 0, 0, K1);
        prout(h.b, 0, 0, 0, K2);
        assertGood(prout(h.b, 4, 3, K2, K1));
        assertEquals(8, u32(prin(h.b, 0), 4));
        assertSense(h.run(h.a, 0, cdb(0, 0, 0, 0, 0, 0), null), SenseReason.REGISTRATIONS_PREEMPTED);
    }

    @Test
    void clearRemovesEverything() {
        prout(h.a, 0, 0, 0, K1);
        prout(h.a, 1, 1, K1, 0);
        assertGood(prout(h.a, 3, 0, K1, 0));
        assertEquals(0, u32(prin(0), 4));
        assertGood(h.run(h.b, 0, rw10(0x2A, 0, 0, 1), pattern(Harness.BS, 0)));
    }

    @Test
    void reportCapabilitiesListsTheSupportedTypes() {
        byte[] d = prin(2);
        assertEquals(8, d[1]);
        assertEquals(0xEA, d[4] & 0xff);
        assertEquals(0x01, d[5]);
    }

    @Test
    void unknownPrinServiceActionIsInvalidFieldInCdb() {
        assertSense(h.run(cdb(0x5E, 4, 0, 0, 0, 0, 0, 0x40, 0, 0)), SenseReason.INVALID_FIELD_IN_CDB);
    }

    @Test
    void proutWithAWrongParameterListLengthIsParameterListLengthError() {
        assertSense(h.run(h.a, 0, cdb(0x5F, 0, 0, 0, 0, 0, 0, 0, 20, 0), new byte[20]),
                SenseReason.PARAMETER_LIST_LENGTH_ERROR);
    }

    @Test
    void persistentReservationsSurviveALogicalUnitReset() {
        prout(h.a, 0, 0, 0, K1);
        prout(h.a, 1, 3, K1, 0);
        h.core.taskManagement(h.a, TaskManagementFunction.LOGICAL_UNIT_RESET, 0, 0);
        h.run(h.b, 0, cdb(0, 0, 0, 0, 0, 0), null);
        assertEquals(ScsiResult.RESERVATION_CONFLICT, h.run(h.b, 0, rw10(0x28, 0, 0, 1), null).status());
    }

    @Test
    void spc2ReserveConflictsWhileAPersistentReservationExists() {
        prout(h.a, 0, 0, 0, K1);
        prout(h.a, 1, 1, K1, 0);
        assertEquals(ScsiResult.RESERVATION_CONFLICT, h.run(h.a, 0, cdb(0x16, 0, 0, 0, 0, 0), null).status());
    }
}
