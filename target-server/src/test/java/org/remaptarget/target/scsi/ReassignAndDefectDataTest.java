package org.remaptarget.target.scsi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.remaptarget.target.scsi.Harness.assertGood;
import static org.remaptarget.target.scsi.Harness.assertSense;
import static org.remaptarget.target.scsi.Harness.cdb;
import static org.remaptarget.target.scsi.Harness.data;
import static org.remaptarget.target.scsi.Harness.fieldPointer;
import static org.remaptarget.target.scsi.Harness.put;

import org.junit.jupiter.api.Test;
import org.remaptarget.target.lun.LunSettings;

/**
 * REASSIGN BLOCKS parameter checks and sense over storage without spares, and READ DEFECT DATA's format rule.
 * (Reassignment through the remap engine is tested with a real volume in the api package.)
 */
class ReassignAndDefectDataTest {
    private final Harness h = new Harness();

    static byte[] shortList(long... lbas) {
        byte[] d = new byte[4 + 4 * lbas.length];
        put(d, 2, 4L * lbas.length, 2);
        for (int i = 0; i < lbas.length; i++) {
            put(d, 4 + 4 * i, lbas[i], 4);
        }
        return d;
    }

    private static final byte[] REASSIGN = cdb(0x07, 0, 0, 0, 0, 0);

    @Test
    void storageWithoutSparesAnswersHardwareErrorNoDefectSpareNamingTheFirstLbaNotReassigned() {
        ScsiResult r = h.run(REASSIGN, shortList(10, 20));
        assertSense(r, SenseReason.NO_DEFECT_SPARE_LOCATION_AVAILABLE);
        assertEquals(0x4, r.sense()[2] & 0x0f, "HARDWARE ERROR per SBC-3");
        byte[] s = r.sense();
        assertEquals(10, ((s[8] & 0xff) << 24) | ((s[9] & 0xff) << 16) | ((s[10] & 0xff) << 8) | (s[11] & 0xff),
                "COMMAND-SPECIFIC INFORMATION");
    }

    @Test
    void descriptorFormatSenseCarriesTheFirstLbaNotReassignedInACommandSpecificDescriptor() {
        byte[] list = new byte[4 + 12];
        list[4] = 0x0A;
        list[5] = 0x0A;
        list[6] = 0x04; // D_SENSE
        list[7] = 0x10; // the page's unchangeable current values
        list[12] = (byte) 0xFF;
        list[13] = (byte) 0xFF;
        assertGood(h.run(cdb(0x15, 0x10, 0, 0, list.length, 0), list));
        ScsiResult r = h.run(REASSIGN, shortList(33));
        byte[] s = r.sense();
        assertEquals(0x72, s[0] & 0x7f);
        assertEquals(0x01, s[8], "command-specific information descriptor");
        assertEquals(0x0A, s[9]);
        assertEquals(33, s[19]);
    }

    @Test
    void anEmptyDefectListIsGood() {
        assertGood(h.run(REASSIGN, shortList()));
    }

    @Test
    void aListLengthThatIsNotAWholeNumberOfDescriptorsPointsAtTheLengthField() {
        byte[] d = shortList(1, 2);
        d[3] = 6;
        ScsiResult r = h.run(REASSIGN, d);
        assertSense(r, SenseReason.INVALID_FIELD_IN_PARAMETER_LIST);
        assertEquals(2, fieldPointer(r)[3]);
    }

    @Test
    void lbasOutOfAscendingOrderPointAtTheOffendingDescriptor() {
        ScsiResult r = h.run(REASSIGN, shortList(9, 9));
        assertSense(r, SenseReason.INVALID_FIELD_IN_PARAMETER_LIST);
        assertEquals(8, fieldPointer(r)[3]);
    }

    @Test
    void anLbaBeyondTheCapacityIsOutOfRangeBeforeAnythingIsReassigned() {
        assertSense(h.run(REASSIGN, shortList(1, Harness.BLOCKS)), SenseReason.LBA_OUT_OF_RANGE);
    }

    @Test
    void aListLongerThanTheDataSentIsAParameterListLengthError() {
        byte[] d = shortList(1, 2);
        d[3] = 12;
        assertSense(h.run(REASSIGN, d), SenseReason.PARAMETER_LIST_LENGTH_ERROR);
    }

    @Test
    void longLbaAndLongListFormsUseEightByteLbasAndAFourByteLength() {
        byte[] d = new byte[4 + 16];
        put(d, 0, 16, 4);
        put(d, 4, 1, 8);
        put(d, 12, Harness.BLOCKS + 5, 8);
        assertSense(h.run(cdb(0x07, 0x03, 0, 0, 0, 0), d), SenseReason.LBA_OUT_OF_RANGE);
    }

    @Test
    void aReadOnlyUnitRefusesToReassignWithDataProtect() {
        Harness ro = new Harness(LunSettings.defaults(Harness.IQN, 0).withReadOnly(true));
        assertSense(ro.run(REASSIGN, shortList(1)), SenseReason.WRITE_PROTECTED);
    }

    @Test
    void readDefectDataInAnUnsupportedFormatReturnsTheLongBlockListAndRecoveredError1C00() {
        h.grownDefects = new long[] {12};
        ScsiResult r = h.run(cdb(0x37, 0, 0x08 | 0x04, 0, 0, 0, 0, 0, 64, 0)); // bytes from index
        assertSense(r, SenseReason.DEFECT_LIST_NOT_FOUND_RECOVERED);
        byte[] d = data(r);
        assertEquals(0x08 | 0x03, d[1], "GLISTV, long block format returned");
        assertEquals(8, d[3]);
        assertEquals(12, d[11]);
    }

    @Test
    void readDefectDataAskingShortBlockForLbasBeyond32BitsReturnsLongBlockWithRecoveredError() {
        h.grownDefects = new long[] {1L << 33};
        ScsiResult r = h.run(cdb(0x37, 0, 0x08, 0, 0, 0, 0, 0, 64, 0));
        assertSense(r, SenseReason.DEFECT_LIST_NOT_FOUND_RECOVERED);
        assertEquals(0x0B, data(r)[1]);
    }

    @Test
    void readDefectDataHeaderOnlyInAnotherFormatIsGood() {
        h.grownDefects = new long[] {12};
        ScsiResult r = h.run(cdb(0x37, 0, 0x05, 0, 0, 0, 0, 0, 64, 0));
        assertGood(r);
        assertEquals(4, data(r).length);
    }

    @Test
    void readDefectData12SkipsDescriptorsBeforeTheAddressDescriptorIndex() {
        h.grownDefects = new long[] {3, 5, 8};
        byte[] c = new byte[12];
        c[0] = (byte) 0xB7;
        c[1] = 0x08 | 0x03;
        c[5] = 1;
        c[9] = 64;
        byte[] d = data(h.run(c));
        assertEquals(16, d[7], "length of the descriptors from the index on");
        assertEquals(5, d[8 + 7]);
        assertEquals(8, d[16 + 7]);
    }
}
