package org.remaptarget.target.scsi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.remaptarget.target.scsi.Harness.assertSense;
import static org.remaptarget.target.scsi.Harness.cdb;
import static org.remaptarget.target.scsi.Harness.data;
import static org.remaptarget.target.scsi.Harness.fieldPointer;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** LOG SENSE over storage that keeps no counters: page lists, CDB checks, parameter pointer, allocation length. */
class LogSenseTest {
    private final Harness h = new Harness();

    static byte[] logSense(int pc, int page, int subpage, int pointer, int alloc) {
        return cdb(0x4D, 0, (pc << 6) | page, subpage, 0, pointer >>> 8, pointer & 0xff, alloc >>> 8, alloc & 0xff,
                0);
    }

    private byte[] page(int page, int subpage) {
        ScsiResult r = h.run(logSense(1, page, subpage, 0, 1024));
        Harness.assertGood(r);
        return data(r);
    }

    @Test
    void supportedPagesListsEveryImplementedPageInAscendingOrder() {
        byte[] d = page(0x00, 0);
        assertEquals(0x00, d[0] & 0x7f);
        assertEquals(5, ((d[2] & 0xff) << 8) | (d[3] & 0xff));
        assertArrayEquals(new byte[] {0x00, 0x02, 0x03, 0x2F, 0x30}, Arrays.copyOfRange(d, 4, 9));
    }

    @Test
    void supportedPagesAndSubpagesListsPageSubpagePairsWithTheSpfBitSet() {
        byte[] d = page(0x00, 0xFF);
        assertEquals(0x40, d[0] & 0x40, "SPF");
        assertEquals(0xFF, d[1] & 0xff);
        assertArrayEquals(new byte[] {0, 0, 0, (byte) 0xFF, 2, 0, 3, 0, 0x2F, 0, 0x30, 0},
                Arrays.copyOfRange(d, 4, d.length));
    }

    @Test
    void errorCounterPagesCarrySevenEightByteCountersThatAreZeroWithoutStorageCounters() {
        for (int p : new int[] {0x02, 0x03}) {
            byte[] d = page(p, 0);
            assertEquals(p, d[0] & 0x3f);
            assertEquals(7 * 12, ((d[2] & 0xff) << 8) | (d[3] & 0xff));
            for (int i = 0; i < 7; i++) {
                int off = 4 + i * 12;
                assertEquals(i, ((d[off] & 0xff) << 8) | (d[off + 1] & 0xff), "parameter code");
                assertEquals(8, d[off + 3], "parameter length");
                assertArrayEquals(new byte[8], Arrays.copyOfRange(d, off + 4, off + 12));
            }
        }
    }

    @Test
    void informationalExceptionsPageReportsFailurePredictedAs5D00AndNoTemperatureReading() {
        assertEquals(0, page(0x2F, 0)[8]);
        h.failurePredicted.set(true);
        byte[] d = page(0x2F, 0);
        assertEquals(0, ((d[4] & 0xff) << 8) | (d[5] & 0xff));
        assertEquals(0x5D, d[8] & 0xff, "IE ASC");
        assertEquals(0x00, d[9], "IE ASCQ");
        assertEquals(0xFF, d[10] & 0xff, "most recent temperature: none");
    }

    @Test
    void defaultCumulativeValuesReportNoInformationalException() {
        h.failurePredicted.set(true);
        byte[] d = data(h.run(logSense(3, 0x2F, 0, 0, 64)));
        assertEquals(0, d[8]);
    }

    @Test
    void parameterPointerStartsThePageAtThatParameterCode() {
        byte[] d = data(h.run(logSense(1, 0x03, 0, 5, 1024)));
        assertEquals(2 * 12, ((d[2] & 0xff) << 8) | (d[3] & 0xff));
        assertEquals(5, d[5]);
        assertEquals(6, d[4 + 12 + 1]);
    }

    @Test
    void parameterPointerBeyondTheLastParameterIsInvalidFieldInCdb() {
        ScsiResult r = h.run(logSense(1, 0x02, 0, 7, 1024));
        assertSense(r, SenseReason.INVALID_FIELD_IN_CDB);
        assertEquals(5, fieldPointer(r)[3]);
    }

    @Test
    void saveParametersBitIsInvalidFieldInCdbAtBitZero() {
        byte[] c = logSense(1, 0x02, 0, 0, 64);
        c[1] = 0x01;
        ScsiResult r = h.run(c);
        assertSense(r, SenseReason.INVALID_FIELD_IN_CDB);
        assertArrayEquals(new int[] {1, 1, 0, 1}, fieldPointer(r));
    }

    @Test
    void parameterPointerControlBitIsInvalidFieldInCdbAtBitOne() {
        byte[] c = logSense(1, 0x02, 0, 0, 64);
        c[1] = 0x02;
        ScsiResult r = h.run(c);
        assertSense(r, SenseReason.INVALID_FIELD_IN_CDB);
        assertArrayEquals(new int[] {1, 1, 1, 1}, fieldPointer(r));
    }

    @Test
    void anUnimplementedPageIsInvalidFieldInCdbAtThePageCode() {
        ScsiResult r = h.run(logSense(1, 0x0D, 0, 0, 64));
        assertSense(r, SenseReason.INVALID_FIELD_IN_CDB);
        assertEquals(2, fieldPointer(r)[3]);
    }

    @Test
    void anUnimplementedSubpageOfAnImplementedPageIsInvalidFieldInCdbAtTheSubpageCode() {
        ScsiResult r = h.run(logSense(1, 0x02, 1, 0, 64));
        assertSense(r, SenseReason.INVALID_FIELD_IN_CDB);
        assertEquals(3, fieldPointer(r)[3]);
    }

    @Test
    void allocationLengthTruncatesTheDataButNotThePageLengthField() {
        byte[] d = data(h.run(logSense(1, 0x02, 0, 0, 10)));
        assertEquals(10, d.length);
        assertEquals(84, d[3] & 0xff);
    }

    static byte[] logSelect(int flags, int pc, int page, int subpage, int length) {
        return cdb(0x4C, flags, (pc << 6) | page, subpage, 0, 0, 0, length >>> 8, length & 0xff, 0);
    }

    @Test
    void logSelectResetWithoutParametersIsGoodEvenForStorageWithoutCounters() {
        Harness.assertGood(h.run(logSelect(0x02, 1, 0, 0, 0)));
        Harness.assertGood(h.run(logSelect(0, 3, 0x02, 0, 0)));
    }

    @Test
    void logSelectWithTheSaveBitIsInvalidFieldInCdb() {
        ScsiResult r = h.run(logSelect(0x03, 1, 0, 0, 0));
        assertSense(r, SenseReason.INVALID_FIELD_IN_CDB);
        assertArrayEquals(new int[] {1, 1, 0, 1}, fieldPointer(r));
    }

    @Test
    void logSelectResetWithAParameterListIsInvalidFieldInCdbAtThePcrBit() {
        ScsiResult r = h.run(logSelect(0x02, 1, 0, 0, 16), new byte[16]);
        assertSense(r, SenseReason.INVALID_FIELD_IN_CDB);
        assertArrayEquals(new int[] {1, 1, 1, 1}, fieldPointer(r));
    }

    @Test
    void logSelectParametersAreNeverChangeable() {
        ScsiResult r = h.run(logSelect(0, 1, 0x02, 0, 16), new byte[16]);
        assertSense(r, SenseReason.INVALID_FIELD_IN_PARAMETER_LIST);
    }

    @Test
    void logSelectOfAnUnimplementedPageIsInvalidFieldInCdb() {
        assertSense(h.run(logSelect(0x02, 1, 0x0D, 0, 0)), SenseReason.INVALID_FIELD_IN_CDB);
    }

    @Test
    void reportSupportedOpcodesListsTheLogCommandsReassignBlocksAndBothReadDefectData() {
        for (int op : new int[] {0x4C, 0x4D, 0x07, 0x37, 0xB7}) {
            byte[] d = data(h.run(cdb(0xA3, 0x0C, 1, op, 0, 0, 0, 0, 1, 0, 0, 0)));
            assertEquals(3, d[1] & 0x07, "opcode " + Integer.toHexString(op) + " supported");
            assertEquals(op, d[4] & 0xff);
        }
    }
}
