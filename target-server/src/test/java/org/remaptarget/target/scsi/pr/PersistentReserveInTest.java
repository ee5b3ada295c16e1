package org.remaptarget.target.scsi.pr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.remaptarget.target.scsi.pr.PrHarness.assertGood;
import static org.remaptarget.target.scsi.pr.PrHarness.assertSense;
import static org.remaptarget.target.scsi.pr.PrHarness.data;
import static org.remaptarget.target.scsi.pr.PrHarness.fieldPointer;
import static org.remaptarget.target.scsi.pr.PrHarness.prin;
import static org.remaptarget.target.scsi.pr.PrHarness.u32;

import org.junit.jupiter.api.Test;
import org.remaptarget.target.scsi.ScsiResult;
import org.remaptarget.target.scsi.SenseReason;

/** PERSISTENT RESERVE IN service actions on a logical unit without registrations. */
class PersistentReserveInTest {
    private final PrHarness h = new PrHarness();

    @Test
    void readKeysOnAFreshUnitReturnsGenerationZeroAndNoKeys() {
        ScsiResult r = h.run(h.a, prin(0, 16384), null);
        assertGood(r);
        assertArrayEquals(new byte[8], data(r));
    }

    @Test
    void readReservationOnAFreshUnitReportsNothingReserved() {
        byte[] d = h.readIn(h.a, 1);
        assertEquals(8, d.length);
        assertEquals(0, u32(d, 4));
    }

    @Test
    void reportCapabilitiesAnnouncesAllSixTypesAndPersistThroughPowerLoss() {
        byte[] d = h.readIn(h.a, 2);
        assertEquals(8, d.length);
        assertEquals(8, ((d[0] & 0xff) << 8) | (d[1] & 0xff), "LENGTH");
        assertEquals(0x01, d[2] & 0x01, "PTPL_C");
        assertEquals(0x04, d[2] & 0x04, "ATP_C");
        assertEquals(0x08, d[2] & 0x08, "SIP_C");
        assertEquals(0x10, d[2] & 0x10, "CRH");
        assertEquals(0x80, d[3] & 0x80, "TMV");
        assertEquals(0xEA, d[4] & 0xff, "type mask byte 4");
        assertEquals(0x01, d[5] & 0xff, "type mask byte 5");
        assertEquals(0, d[3] & 0x01, "PTPL_A is off before any APTPL registration");
    }

    @Test
    void readFullStatusOnAFreshUnitIsAnEmptyList() {
        byte[] d = h.readIn(h.a, 3);
        assertEquals(8, d.length);
        assertEquals(0, u32(d, 4));
    }

    @Test
    void anUndefinedServiceActionIsInvalidFieldInCdbPointingAtTheServiceAction() {
        for (int sa = 4; sa < 0x20; sa++) {
            ScsiResult r = h.run(h.a, prin(sa, 16384), null);
            assertSense(r, SenseReason.INVALID_FIELD_IN_CDB);
            assertArrayEquals(new int[] {1, 1, 4, 1}, fieldPointer(r), "SA " + sa);
        }
    }

    @Test
    void aZeroAllocationLengthReturnsNoData() {
        ScsiResult r = h.run(h.a, prin(0, 0), null);
        assertGood(r);
        assertEquals(0, r.dataInLength());
    }
}
