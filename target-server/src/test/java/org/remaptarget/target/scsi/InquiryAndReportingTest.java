package org.remaptarget.target.scsi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.remaptarget.target.scsi.Harness.assertGood;
import static org.remaptarget.target.scsi.Harness.assertSense;
import static org.remaptarget.target.scsi.Harness.cdb;
import static org.remaptarget.target.scsi.Harness.data;
import static org.remaptarget.target.scsi.Harness.fieldPointer;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.remaptarget.target.lun.LunIds;
import org.remaptarget.target.lun.LunSettings;

class InquiryAndReportingTest {
    private final Harness h = new Harness();

    private static byte[] inquiry(int evpd, int page, int alloc) {
        return cdb(0x12, evpd, page, alloc >>> 8, alloc & 0xff, 0);
    }

    @Test
    void standardInquiryDescribesAnSpc4DiskWithCommandQueueing() {
        byte[] d = data(h.run(inquiry(0, 0, 255)));
        assertEquals(0x00, d[0]);
        assertEquals(0, d[1] & 0x80, "RMB");
        assertEquals(0x06, d[2]);
        assertEquals(0x12, d[3], "HiSup + response data format 2");
        assertEquals(d.length - 5, d[4] & 0xff);
        assertEquals(0x02, d[7] & 0x02, "CmdQue");
        assertEquals(LunSettings.DEFAULT_VENDOR, new String(d, 8, 8, StandardCharsets.US_ASCII).trim());
    }

    @Test
    void inquiryIsTruncatedToTheAllocationLength() {
        assertEquals(5, h.run(inquiry(0, 0, 5)).dataInLength());
    }

    @Test
    void inquiryToAMissingLunAnswersPeripheralQualifier3() {
        ScsiResult r = h.run(h.a, 7, inquiry(0, 0, 96), null);
        assertGood(r);
        assertEquals(0x7F, data(r)[0] & 0xff);
    }

    @Test
    void otherCommandsToAMissingLunAreLogicalUnitNotSupported() {
        assertSense(h.run(h.a, 7, cdb(0, 0, 0, 0, 0, 0), null), SenseReason.LOGICAL_UNIT_NOT_SUPPORTED);
    }

    @Test
    void supportedVpdPagesAreSortedAndEachOneAnswers() {
        byte[] d = data(h.run(inquiry(1, 0, 255)));
        int n = d[3];
        assertTrue(n >= 6);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                assertTrue((d[4 + i] & 0xff) > (d[3 + i] & 0xff));
            }
            ScsiResult p = h.run(inquiry(1, d[4 + i] & 0xff, 255));
            assertGood(p);
            assertEquals(d[4 + i], data(p)[1]);
        }
    }

    @Test
    void unknownVpdPageIsInvalidFieldInCdbPointingAtThePageCode() {
        ScsiResult r = h.run(inquiry(1, 0x89, 255));
        assertSense(r, SenseReason.INVALID_FIELD_IN_CDB);
        assertEquals(2, fieldPointer(r)[3]);
    }

    @Test
    void pageCodeWithoutEvpdIsInvalidFieldInCdb() {
        assertSense(h.run(inquiry(0, 0x80, 255)), SenseReason.INVALID_FIELD_IN_CDB);
    }

    @Test
    void deviceIdentificationCarriesTheStableNaaId() {
        byte[] d = data(h.run(inquiry(1, 0x83, 1024)));
        assertEquals(0x01, d[4] & 0x0f, "binary code set");
        assertEquals(0x03, d[5] & 0x0f, "NAA designator");
        byte[] id = new byte[16];
        System.arraycopy(d, 8, id, 0, 16);
        assertArrayEquals(LunIds.naa6(LunIds.seed(Harness.IQN, 0)), id);
        assertEquals(6, (id[0] & 0xff) >>> 4);
    }

    @Test
    void unitSerialNumberIsDerivedFromTargetAndLun() {
        byte[] d = data(h.run(inquiry(1, 0x80, 255)));
        String serial = new String(d, 4, d[3], StandardCharsets.US_ASCII);
        assertEquals(LunIds.serial(LunIds.seed(Harness.IQN, 0)), serial);
    }

    @Test
    void blockLimitsPageHasSbc3LengthAndTheMaximumTransferLength() {
        byte[] d = data(h.run(inquiry(1, 0xB0, 255)));
        assertEquals(0x3C, d[3]);
        assertEquals(64, d.length);
        long max = ((d[8] & 0xffL) << 24) | ((d[9] & 0xff) << 16) | ((d[10] & 0xff) << 8) | (d[11] & 0xff);
        assertEquals(h.lu.settings().maxTransferBlocks(), max);
    }

    @Test
    void blockDeviceCharacteristicsSayNonRotating() {
        byte[] d = data(h.run(inquiry(1, 0xB1, 255)));
        assertEquals(1, ((d[4] & 0xff) << 8) | (d[5] & 0xff));
    }

    @Test
    void reportLunsListsLunZero() {
        byte[] d = data(h.run(cdb(0xA0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0)));
        assertEquals(8, d[3]);
        assertEquals(16, d.length);
    }

    @Test
    void reportLunsSelectReportOneListsNoWellKnownLuns() {
        byte[] d = data(h.run(cdb(0xA0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0)));
        assertEquals(0, d[3]);
    }

    @Test
    void reportLunsWithAnUnknownSelectReportIsInvalidFieldInCdb() {
        assertSense(h.run(cdb(0xA0, 0, 3, 0, 0, 0, 0, 0, 1, 0, 0, 0)), SenseReason.INVALID_FIELD_IN_CDB);
    }

    @Test
    void reportLunsWorksOnAMissingLun() {
        assertGood(h.run(h.a, 9, cdb(0xA0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0), null));
    }

    @Test
    void requestSenseWithNothingPendingIsNoSense() {
        byte[] d = data(h.run(cdb(0x03, 0, 0, 0, 252, 0)));
        assertEquals(0x70, d[0] & 0x7f);
        assertEquals(0, d[2] & 0x0f);
    }

    @Test
    void requestSenseHonoursTheDescBit() {
        byte[] d = data(h.run(cdb(0x03, 1, 0, 0, 252, 0)));
        assertEquals(0x72, d[0] & 0x7f);
    }

    @Test
    void requestSenseOnAMissingLunReportsLogicalUnitNotSupported() {
        ScsiResult r = h.run(h.a, 3, cdb(0x03, 0, 0, 0, 252, 0), null);
        assertGood(r);
        byte[] d = data(r);
        assertEquals(0x25, d[12]);
    }

    @Test
    void unsupportedOpcodeIsInvalidOperationCode() {
        assertSense(h.run(cdb(0x42, 0, 0, 0, 0, 0, 0, 0, 0, 0)), SenseReason.INVALID_OPERATION_CODE);
    }

    @Test
    void nacaBitIsInvalidFieldInCdbAtTheControlByte() {
        ScsiResult r = h.run(cdb(0x00, 0, 0, 0, 0, 0x04));
        assertSense(r, SenseReason.INVALID_FIELD_IN_CDB);
        assertArrayEquals(new int[] {1, 1, 2, 5}, fieldPointer(r));
    }

    @Test
    void reportSupportedOpcodesListsEveryCommandWithServiceActionsFlagged() {
        byte[] d = data(h.run(cdb(0xA3, 0x0C, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0)));
        long len = ((d[0] & 0xffL) << 24) | ((d[1] & 0xff) << 16) | ((d[2] & 0xff) << 8) | (d[3] & 0xff);
        assertEquals(d.length - 4, len);
        boolean sawRc16 = false;
        for (int p = 4; p < d.length; p += 8) {
            if ((d[p] & 0xff) == 0x9E) {
                sawRc16 = true;
                assertEquals(1, d[p + 5] & 1, "SERVACTV");
                assertTrue(d[p + 3] == 0x10 || d[p + 3] == 0x12, "READ CAPACITY(16) or GET LBA STATUS");
            } else if (!h.core.commands().hasServiceActions(d[p])) {
                assertEquals(0, d[p + 5] & 1);
            }
        }
        assertTrue(sawRc16);
    }

    @Test
    void reportSupportedOpcodesWithRctdAddsTimeoutDescriptors() {
        byte[] d = data(h.run(cdb(0xA3, 0x0C, 0x80, 0, 0, 0, 0, 0, 0x10, 0, 0, 0)));
        assertEquals(0x02, d[4 + 5] & 0x02, "CTDP");
        assertEquals(0x0A, d[4 + 8 + 1], "timeouts descriptor length");
    }

    @Test
    void reportSupportedOpcodesForOneCommandGivesItsUsageData() {
        byte[] d = data(h.run(cdb(0xA3, 0x0C, 1, 0x28, 0, 0, 0, 0, 1, 0, 0, 0)));
        assertEquals(3, d[1] & 0x07, "supported");
        assertEquals(10, d[3]);
        assertEquals(0x28, d[4] & 0xff);
        assertEquals(0x18, d[5] & 0x18, "DPO and FUA");
    }

    @Test
    void reportSupportedOpcodesByOpcodeAloneRejectsAnOpcodeWithServiceActions() {
        assertSense(h.run(cdb(0xA3, 0x0C, 1, 0x9E, 0, 0x10, 0, 0, 1, 0, 0, 0)), SenseReason.INVALID_FIELD_IN_CDB);
        assertGood(h.run(cdb(0xA3, 0x0C, 2, 0x9E, 0, 0x10, 0, 0, 1, 0, 0, 0)));
    }

    @Test
    void reportSupportedOpcodesWithServiceActionRejectsAPlainOpcode() {
        assertSense(h.run(cdb(0xA3, 0x0C, 2, 0x28, 0, 0, 0, 0, 1, 0, 0, 0)), SenseReason.INVALID_FIELD_IN_CDB);
    }

    @Test
    void reportSupportedOpcodesForAnUnsupportedOpcodeSaysNotSupported() {
        byte[] d = data(h.run(cdb(0xA3, 0x0C, 1, 0x04, 0, 0, 0, 0, 1, 0, 0, 0)));
        assertEquals(1, d[1] & 0x07);
    }
}
