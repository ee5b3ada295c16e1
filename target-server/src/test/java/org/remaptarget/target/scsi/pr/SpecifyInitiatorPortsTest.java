package org.remaptarget.target.scsi.pr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.remaptarget.target.scsi.pr.PrHarness.assertConflict;
import static org.remaptarget.target.scsi.pr.PrHarness.assertGood;
import static org.remaptarget.target.scsi.pr.PrHarness.assertSense;
import static org.remaptarget.target.scsi.pr.PrHarness.proutCdb;
import static org.remaptarget.target.scsi.pr.PrHarness.put;

import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.remaptarget.target.scsi.Nexus;
import org.remaptarget.target.scsi.ScsiResult;
import org.remaptarget.target.scsi.SenseReason;

/** REGISTER with SPEC_I_PT: registering other initiator ports in one command (SPC-4 §6.16.3). */
class SpecifyInitiatorPortsTest {
    private static final int SPEC_I_PT = 0x08;

    private final PrHarness h = new PrHarness();

    private static byte[] list(long key, long saKey, int flags, byte[]... tids) {
        ByteArrayOutputStream t = new ByteArrayOutputStream();
        for (byte[] tid : tids) {
            t.writeBytes(tid);
        }
        byte[] p = new byte[28 + t.size()];
        put(p, 0, key, 8);
        put(p, 8, saKey, 8);
        p[20] = (byte) flags;
        put(p, 24, t.size(), 4);
        System.arraycopy(t.toByteArray(), 0, p, 28, t.size());
        return p;
    }

    private static byte[] tid(Nexus n) {
        return TransportIds.encode(Registrant.of(n, false));
    }

    private ScsiResult register(Nexus from, int sa, byte[] p) {
        return h.run(from, proutCdb(sa, 0, p.length), p);
    }

    @Test
    void specifiedPortsAreRegisteredWithTheSameKeyAsTheSender() {
        assertGood(register(h.a, 0, list(0, 0x77, SPEC_I_PT, tid(h.b), tid(h.c))));
        assertEquals(List.of(0x77L, 0x77L, 0x77L), h.keys(h.a));
        assertEquals(1, h.generation(h.a));
        assertGood(h.register(h.b, 0x77, 0xB2));
    }

    @Test
    void aNameOnlyTransportIdRegistersEverySessionOfThatInitiator() {
        byte[] nameOnly = TransportIds.encode(new Registrant(h.b.initiatorName(), Registrant.ANY_ISID, "x", 0, false));
        assertGood(register(h.a, 0, list(0, 0x77, SPEC_I_PT, nameOnly)));
        Nexus otherSession = new Nexus(h.b.initiatorName(), 0x4455L, h.b.targetName(), h.b.tpgt(), 8);
        assertGood(h.reserve(otherSession, 0x77, 1));
    }

    @Test
    void anAlreadyRegisteredSpecifiedPortFailsTheWholeCommandAtItsTransportId() {
        h.registerIgnore(h.c, 0xC1);
        byte[] first = tid(h.b);
        ScsiResult r = register(h.a, 0, list(0, 0x77, SPEC_I_PT, first, tid(h.c)));
        assertSense(r, SenseReason.INVALID_FIELD_IN_PARAMETER_LIST);
        assertArrayEquals(new int[] {0, 0, 0, 28 + first.length}, PrHarness.fieldPointer(r));
        assertEquals(List.of(0xC1L), h.keys(h.a));
    }

    @Test
    void specifyInitiatorPortsFromARegisteredNexusIsInvalidFieldInCdb() {
        h.registerIgnore(h.a, 0xA1);
        assertSense(register(h.a, 0, list(0xA1, 0x77, SPEC_I_PT, tid(h.b))), SenseReason.INVALID_FIELD_IN_CDB);
    }

    @Test
    void specifyInitiatorPortsWithANonZeroReservationKeyFromAnUnregisteredNexusConflicts() {
        assertConflict(register(h.a, 0, list(0x12, 0x77, SPEC_I_PT, tid(h.b))));
    }

    @Test
    void aTransportIdDataLengthThatDisagreesWithTheListIsAParameterListLengthError() {
        byte[] p = list(0, 0x77, SPEC_I_PT, tid(h.b));
        put(p, 24, 4, 4);
        assertSense(register(h.a, 0, p), SenseReason.PARAMETER_LIST_LENGTH_ERROR);
    }

    @Test
    void aMalformedTransportIdIsInvalidFieldInParameterList() {
        byte[] bad = tid(h.b);
        bad[0] = 0x01; // Fibre Channel
        assertSense(register(h.a, 0, list(0, 0x77, SPEC_I_PT, bad)), SenseReason.INVALID_FIELD_IN_PARAMETER_LIST);
        assertEquals(List.of(), h.keys(h.a));
    }

    @Test
    void specifyInitiatorPortsWithRegisterAndIgnoreIsInvalidFieldInParameterList() {
        assertSense(register(h.a, 6, list(0, 0x77, SPEC_I_PT, tid(h.b))),
                SenseReason.INVALID_FIELD_IN_PARAMETER_LIST);
    }
}
