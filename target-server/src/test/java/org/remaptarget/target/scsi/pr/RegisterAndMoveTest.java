package org.remaptarget.target.scsi.pr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.remaptarget.target.scsi.pr.PrHarness.assertConflict;
import static org.remaptarget.target.scsi.pr.PrHarness.assertGood;
import static org.remaptarget.target.scsi.pr.PrHarness.assertSense;
import static org.remaptarget.target.scsi.pr.PrHarness.proutCdb;
import static org.remaptarget.target.scsi.pr.PrHarness.put;
import static org.remaptarget.target.scsi.pr.PrHarness.u32;
import static org.remaptarget.target.scsi.pr.PrHarness.u64;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.remaptarget.target.scsi.Nexus;
import org.remaptarget.target.scsi.ScsiResult;
import org.remaptarget.target.scsi.SenseReason;

/** REGISTER AND MOVE (SPC-4 §5.13.8) and READ FULL STATUS (§6.15.5). */
class RegisterAndMoveTest {
    private static final int EA = 3;

    private final PrHarness h = new PrHarness();

    private ScsiResult move(Nexus from, long key, long saKey, Nexus to, boolean unreg, int relativePort) {
        byte[] tid = TransportIds.encode(Registrant.of(to, false));
        byte[] p = new byte[24 + tid.length];
        put(p, 0, key, 8);
        put(p, 8, saKey, 8);
        p[17] = (byte) (unreg ? 0x02 : 0);
        put(p, 18, relativePort, 2);
        put(p, 20, tid.length, 4);
        System.arraycopy(tid, 0, p, 24, tid.length);
        return h.run(from, proutCdb(7, 0, p.length), p);
    }

    @Test
    void registerAndMoveRegistersTheDestinationAndHandsItTheReservation() {
        h.registerIgnore(h.a, 0xA1);
        h.reserve(h.a, 0xA1, EA);
        assertGood(move(h.a, 0xA1, 0xB9, h.b, false, 1));
        assertArrayEquals(new long[] {0xB9, EA}, h.reservation(h.c));
        assertEquals(List.of(0xA1L, 0xB9L), h.keys(h.c));
        assertGood(h.write(h.b));
        assertConflict(h.write(h.a));
    }

    @Test
    void registerAndMoveWithUnregDropsTheSourceRegistration() {
        h.registerIgnore(h.a, 0xA1);
        h.reserve(h.a, 0xA1, EA);
        assertGood(move(h.a, 0xA1, 0xB9, h.b, true, 1));
        assertEquals(List.of(0xB9L), h.keys(h.c));
    }

    @Test
    void registerAndMoveFromANonHolderConflicts() {
        h.registerIgnore(h.a, 0xA1);
        h.registerIgnore(h.b, 0xB1);
        h.reserve(h.a, 0xA1, EA);
        assertConflict(move(h.b, 0xB1, 0xC9, h.c, false, 1));
    }

    @Test
    void registerAndMoveOfAnAllRegistrantsReservationConflicts() {
        h.registerIgnore(h.a, 0xA1);
        h.reserve(h.a, 0xA1, 8);
        assertConflict(move(h.a, 0xA1, 0xB9, h.b, false, 1));
    }

    @Test
    void registerAndMoveWithoutAReservationIsInvalidFieldInCdb() {
        h.registerIgnore(h.a, 0xA1);
        assertSense(move(h.a, 0xA1, 0xB9, h.b, false, 1), SenseReason.INVALID_FIELD_IN_CDB);
        assertEquals(List.of(0xA1L), h.keys(h.c));
    }

    @Test
    void registerAndMoveWithAZeroServiceActionKeyIsInvalidFieldInParameterList() {
        h.registerIgnore(h.a, 0xA1);
        h.reserve(h.a, 0xA1, EA);
        assertSense(move(h.a, 0xA1, 0, h.b, false, 1), SenseReason.INVALID_FIELD_IN_PARAMETER_LIST);
    }

    @Test
    void registerAndMoveWhoseTransportIdLengthDisagreesWithTheListIsInvalidFieldInParameterList() {
        h.registerIgnore(h.a, 0xA1);
        h.reserve(h.a, 0xA1, EA);
        byte[] tid = TransportIds.encode(Registrant.of(h.b, false));
        byte[] p = new byte[24 + tid.length + 8];
        put(p, 0, 0xA1, 8);
        put(p, 8, 0xB9, 8);
        put(p, 18, 1, 2);
        put(p, 20, tid.length, 4);
        System.arraycopy(tid, 0, p, 24, tid.length);
        assertSense(h.run(h.a, proutCdb(7, 0, p.length), p), SenseReason.INVALID_FIELD_IN_PARAMETER_LIST);
    }

    @Test
    void registerAndMoveToTheIssuingNexusIsInvalidFieldInParameterList() {
        h.registerIgnore(h.a, 0xA1);
        h.reserve(h.a, 0xA1, EA);
        assertSense(move(h.a, 0xA1, 0xB9, h.a, false, 1), SenseReason.INVALID_FIELD_IN_PARAMETER_LIST);
    }

    @Test
    void registerAndMoveToAnUnknownRelativeTargetPortIsInvalidFieldInParameterList() {
        h.registerIgnore(h.a, 0xA1);
        h.reserve(h.a, 0xA1, EA);
        assertSense(move(h.a, 0xA1, 0xB9, h.b, false, 2), SenseReason.INVALID_FIELD_IN_PARAMETER_LIST);
    }

    @Test
    void registerAndMoveWithAShortParameterListIsAParameterListLengthError() {
        assertSense(h.run(h.a, proutCdb(7, 0, 16), new byte[16]), SenseReason.PARAMETER_LIST_LENGTH_ERROR);
    }

    @Test
    void readFullStatusDescribesEachRegistrationWithHolderTypeAndTransportId() {
        h.registerIgnore(h.a, 0xA1);
        h.prout(h.b, 6, 0, 0, 0xB1, 0x04);
        h.reserve(h.a, 0xA1, EA);
        byte[] d = h.readIn(h.c, 3);
        assertEquals(d.length - 8, u32(d, 4));
        assertEquals(0xA1, u64(d, 8));
        assertEquals(0x01, d[8 + 12], "R_HOLDER, not ALL_TG_PT");
        assertEquals(EA, d[8 + 13]);
        assertEquals(1, ((d[8 + 18] & 0xff) << 8) | (d[8 + 19] & 0xff), "relative target port");
        int tidLen = (int) u32(d, 8 + 20);
        String tid = new String(d, 8 + 28, tidLen - 4, StandardCharsets.US_ASCII);
        assertEquals(h.a.initiatorPort(), tid.substring(0, tid.indexOf('\0')));
        int second = 8 + 24 + tidLen;
        assertEquals(0xB1, u64(d, second));
        assertEquals(0x02, d[second + 12], "ALL_TG_PT, not holder");
    }

    @Test
    void reportSupportedOperationCodesListsEveryPersistentReserveServiceAction() {
        for (int sa = 0; sa < 8; sa++) {
            ScsiResult r = h.run(h.a, new byte[] {(byte) 0xA3, 0x0C, 0x02, 0x5F, 0, (byte) sa, 0, 0, 1, 0, 0, 0},
                    null);
            assertGood(r);
            assertEquals(0x03, PrHarness.data(r)[1] & 0x07, "PR OUT SA " + sa + " supported");
        }
        ScsiResult in = h.run(h.a, new byte[] {(byte) 0xA3, 0x0C, 0x02, 0x5E, 0, 3, 0, 0, 1, 0, 0, 0}, null);
        assertEquals(0x03, PrHarness.data(in)[1] & 0x07);
        ScsiResult none = h.run(h.a, new byte[] {(byte) 0xA3, 0x0C, 0x02, 0x5E, 0, 4, 0, 0, 1, 0, 0, 0}, null);
        assertEquals(0x01, PrHarness.data(none)[1] & 0x07);
    }
}
