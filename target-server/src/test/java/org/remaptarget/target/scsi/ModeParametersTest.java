package org.remaptarget.target.scsi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.remaptarget.target.scsi.Harness.assertGood;
import static org.remaptarget.target.scsi.Harness.assertSense;
import static org.remaptarget.target.scsi.Harness.cdb;
import static org.remaptarget.target.scsi.Harness.data;
import static org.remaptarget.target.scsi.Harness.fieldPointer;
import static org.remaptarget.target.scsi.Harness.rw16;

import org.junit.jupiter.api.Test;
import org.remaptarget.target.lun.LunSettings;

class ModeParametersTest {
    private final Harness h = new Harness();

    private static byte[] sense6(int dbd, int pc, int page, int alloc) {
        return cdb(0x1A, dbd << 3, (pc << 6) | page, 0, alloc, 0);
    }

    /** Finds page {@code code} in MODE SENSE(6) data; returns its offset or -1. */
    private static int find(byte[] d, int code) {
        int p = 4 + (d[3] & 0xff);
        while (p + 1 < d.length) {
            if ((d[p] & 0x3f) == code) {
                return p;
            }
            p += 2 + (d[p + 1] & 0xff);
        }
        return -1;
    }

    private byte[] currentPage(int code) {
        byte[] d = data(h.run(sense6(1, 0, code, 255)));
        int p = find(d, code);
        byte[] page = new byte[2 + (d[p + 1] & 0xff)];
        System.arraycopy(d, p, page, 0, page.length);
        return page;
    }

    private ScsiResult select6(Nexus n, byte[] page) {
        byte[] list = new byte[4 + page.length];
        System.arraycopy(page, 0, list, 4, page.length);
        return h.run(n, 0, cdb(0x15, 0x10, 0, 0, list.length, 0), list);
    }

    @Test
    void modeSense6AllPagesHasConsistentLengthAndABlockDescriptor() {
        byte[] d = data(h.run(sense6(0, 0, 0x3F, 255)));
        assertEquals(d.length - 1, d[0] & 0xff);
        assertEquals(8, d[3]);
        assertEquals(Harness.BS, ((d[9] & 0xff) << 8 | (d[10] & 0xff)) << 8 | (d[11] & 0xff));
        for (int code : new int[] {0x01, 0x08, 0x0A, 0x1C}) {
            assertTrue(find(d, code) > 0, "page " + code);
        }
    }

    @Test
    void modeSenseDbdOmitsTheBlockDescriptor() {
        byte[] d = data(h.run(sense6(1, 0, 0x08, 255)));
        assertEquals(0, d[3]);
        assertEquals(0x08, d[4]);
    }

    @Test
    void modeSenseIsTruncatedToTheAllocationLength() {
        assertEquals(4, h.run(sense6(0, 0, 0x3F, 4)).dataInLength());
    }

    @Test
    void deviceSpecificParameterShowsWriteProtectOnAReadOnlyLun() {
        Harness ro = new Harness(LunSettings.defaults(Harness.IQN, 0).withReadOnly(true));
        assertEquals(0x80, data(ro.run(sense6(0, 0, 0x3F, 255)))[2] & 0x80);
        assertEquals(0, data(h.run(sense6(0, 0, 0x3F, 255)))[2] & 0x80);
    }

    @Test
    void modeSense10WithLlbaaReturnsALongBlockDescriptor() {
        byte[] d = data(h.run(cdb(0x5A, 0x10, 0x08, 0, 0, 0, 0, 0, 255, 0)));
        assertEquals(1, d[4] & 1, "LONGLBA");
        assertEquals(16, ((d[6] & 0xff) << 8) | (d[7] & 0xff));
        assertEquals(d.length - 2, ((d[0] & 0xff) << 8) | (d[1] & 0xff));
        assertEquals(Harness.BLOCKS, ((d[14] & 0xffL) << 8) | (d[15] & 0xff));
    }

    @Test
    void savedValuesAreSavingParametersNotSupported() {
        assertSense(h.run(sense6(0, 3, 0x08, 255)), SenseReason.SAVING_PARAMETERS_NOT_SUPPORTED);
    }

    @Test
    void unknownPageIsInvalidFieldInCdb() {
        ScsiResult r = h.run(sense6(0, 0, 0x19, 255));
        assertSense(r, SenseReason.INVALID_FIELD_IN_CDB);
        assertEquals(2, fieldPointer(r)[3]);
    }

    @Test
    void changeableValuesShowWceDsenseAndSwpOnly() {
        byte[] cache = data(h.run(sense6(1, 1, 0x08, 255)));
        assertEquals(0x04, cache[4 + 2]);
        byte[] control = data(h.run(sense6(1, 1, 0x0A, 255)));
        assertEquals(0x04, control[4 + 2]);
        assertEquals(0x08, control[4 + 4], "SWP changeable");
    }

    @Test
    void modeSelectClearsWceAndModeSenseShowsIt() {
        byte[] page = currentPage(0x08);
        assertEquals(0x04, page[2] & 0x04);
        page[2] &= ~0x04;
        assertGood(select6(h.a, page));
        assertEquals(0, currentPage(0x08)[2] & 0x04);
        assertFalse(h.lu.mode().wce());
    }

    @Test
    void modeSelectRaisesModeParametersChangedForOtherNexusesOnly() {
        h.run(h.b, 0, cdb(0, 0, 0, 0, 0, 0), null); // b has addressed the LU
        byte[] page = currentPage(0x08);
        page[2] &= ~0x04;
        assertGood(select6(h.a, page));
        assertSense(h.run(h.b, 0, cdb(0, 0, 0, 0, 0, 0), null), SenseReason.MODE_PARAMETERS_CHANGED);
        assertGood(h.run(h.a, 0, cdb(0, 0, 0, 0, 0, 0), null));
    }

    @Test
    void modeSelectChangingANonChangeableBitIsInvalidFieldInParameterListWithItsPointer() {
        byte[] page = currentPage(0x08);
        page[2] |= 0x01; // RCD is not changeable
        ScsiResult r = select6(h.a, page);
        assertSense(r, SenseReason.INVALID_FIELD_IN_PARAMETER_LIST);
        assertArrayEquals(new int[] {0, 1, 0, 4 + 2}, fieldPointer(r));
    }

    @Test
    void modeSelectWithATruncatedPageIsParameterListLengthError() {
        byte[] page = currentPage(0x08);
        byte[] list = new byte[4 + 6];
        System.arraycopy(page, 0, list, 4, 6);
        assertSense(h.run(h.a, 0, cdb(0x15, 0x10, 0, 0, list.length, 0), list),
                SenseReason.PARAMETER_LIST_LENGTH_ERROR);
    }

    @Test
    void modeSelectWithSaveParametersIsInvalidFieldInCdb() {
        byte[] page = currentPage(0x08);
        byte[] list = new byte[4 + page.length];
        System.arraycopy(page, 0, list, 4, page.length);
        assertSense(h.run(h.a, 0, cdb(0x15, 0x11, 0, 0, list.length, 0), list), SenseReason.INVALID_FIELD_IN_CDB);
    }

    @Test
    void modeSelectWithAWrongBlockLengthInTheDescriptorIsRejected() {
        byte[] page = currentPage(0x08);
        byte[] list = new byte[12 + page.length];
        list[3] = 8;
        list[10] = 0x10; // 4096
        System.arraycopy(page, 0, list, 12, page.length);
        ScsiResult r = h.run(h.a, 0, cdb(0x15, 0x10, 0, 0, list.length, 0), list);
        assertSense(r, SenseReason.INVALID_FIELD_IN_PARAMETER_LIST);
        assertEquals(4 + 5, fieldPointer(r)[3]);
    }

    @Test
    void setting_D_SenseSwitchesToDescriptorFormatSense() {
        byte[] page = currentPage(0x0A);
        page[2] |= 0x04;
        assertGood(select6(h.a, page));
        ScsiResult r = h.run(rw16(0x88, 0, -1L, 1));
        assertSense(r, SenseReason.LBA_OUT_OF_RANGE);
        assertEquals(0x72, r.sense()[0] & 0x7f);
    }

    @Test
    void informationalExceptionsRejectsAnUndefinedMrie() {
        byte[] page = currentPage(0x1C);
        page[3] = 0x07;
        assertSense(select6(h.a, page), SenseReason.INVALID_FIELD_IN_PARAMETER_LIST);
    }

    @Test
    void modeSelectWithZeroLengthDoesNothing() {
        assertGood(h.run(cdb(0x15, 0x10, 0, 0, 0, 0)));
    }
}
