package org.remaptarget.target.scsi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.remaptarget.target.scsi.Harness.assertGood;
import static org.remaptarget.target.scsi.Harness.assertSense;
import static org.remaptarget.target.scsi.Harness.cdb;
import static org.remaptarget.target.scsi.Harness.data;
import static org.remaptarget.target.scsi.Harness.fieldPointer;
import static org.remaptarget.target.scsi.Harness.pattern;
import static org.remaptarget.target.scsi.Harness.put;
import static org.remaptarget.target.scsi.Harness.rw10;
import static org.remaptarget.target.scsi.Harness.rw16;

import org.junit.jupiter.api.Test;
import org.remaptarget.target.lun.LunSettings;

/** UNMAP, WRITE SAME with UNMAP, GET LBA STATUS and the thin-provisioning fields of a thin LU (4096 blocks of 512). */
class ThinProvisioningTest {
    private final Harness h = new Harness(LunSettings.defaults(Harness.IQN, 0).withThin(true));

    private static byte[] unmapCdb(int anchor, int len) {
        byte[] c = cdb(0x42, anchor, 0, 0, 0, 0, 0, 0, 0, 0);
        put(c, 7, len, 2);
        return c;
    }

    private static byte[] unmapList(long... lbaAndBlocks) {
        int n = lbaAndBlocks.length / 2;
        byte[] d = new byte[8 + 16 * n];
        put(d, 0, d.length - 2, 2);
        put(d, 2, 16L * n, 2);
        for (int i = 0; i < n; i++) {
            put(d, 8 + 16 * i, lbaAndBlocks[2 * i], 8);
            put(d, 16 + 16 * i, lbaAndBlocks[2 * i + 1], 4);
        }
        return d;
    }

    private byte[] read(long lba, int blocks) {
        return data(h.run(rw10(0x28, 0, lba, blocks)));
    }

    private byte[] lbaStatus(long lba, int alloc) {
        byte[] c = cdb(0x9E, 0x12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        put(c, 2, lba, 8);
        put(c, 10, alloc, 4);
        return data(h.run(c));
    }

    @Test
    void unmappedBlocksReadAsZerosAndNeighboursKeepTheirData() {
        byte[] p = pattern(3 * 512, 7);
        assertGood(h.run(rw10(0x2A, 0, 100, 3), p));
        byte[] list = unmapList(101, 1);
        assertGood(h.run(unmapCdb(0, list.length), list));
        byte[] back = read(100, 3);
        assertArrayEquals(java.util.Arrays.copyOfRange(p, 0, 512), java.util.Arrays.copyOfRange(back, 0, 512));
        assertArrayEquals(new byte[512], java.util.Arrays.copyOfRange(back, 512, 1024));
        assertArrayEquals(java.util.Arrays.copyOfRange(p, 1024, 1536), java.util.Arrays.copyOfRange(back, 1024, 1536));
    }

    @Test
    void getLbaStatusReportsAWhollyUnmappedChunkAsDeallocated() {
        assertGood(h.run(rw10(0x2A, 0, 0, 1), pattern(512, 1)));
        assertGood(h.run(rw10(0x2A, 0, 2048, 1), pattern(512, 2)));
        byte[] list = unmapList(0, 2048);
        assertGood(h.run(unmapCdb(0, list.length), list));
        byte[] d = lbaStatus(0, 8 + 16 * 4);
        assertEquals(8 + 16 * 2 - 4, Harness.u32(d, 0), "two descriptors");
        assertEquals(0, Harness.u64(d, 8));
        assertEquals(2048, Harness.u32(d, 16));
        assertEquals(1, d[20] & 0x0F, "deallocated");
        assertEquals(2048, Harness.u64(d, 24));
        assertEquals(0, d[36] & 0x0F, "mapped");
    }

    @Test
    void getLbaStatusBeyondTheLastBlockIsLbaOutOfRange() {
        byte[] c = cdb(0x9E, 0x12, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0, 0, 24, 0, 0);
        assertSense(h.run(c), SenseReason.LBA_OUT_OF_RANGE);
    }

    @Test
    void unmapWithAnchorIsInvalidFieldInCdb() {
        byte[] list = unmapList(0, 1);
        assertSense(h.run(unmapCdb(1, list.length), list), SenseReason.INVALID_FIELD_IN_CDB);
    }

    @Test
    void unmapParameterListShorterThanItsHeaderIsParameterListLengthError() {
        assertSense(h.run(unmapCdb(0, 6), new byte[6]), SenseReason.PARAMETER_LIST_LENGTH_ERROR);
    }

    @Test
    void unmapDescriptorLengthBeyondTheListIsInvalidFieldInParameterList() {
        byte[] list = unmapList(0, 1);
        put(list, 2, 32, 2);
        ScsiResult r = h.run(unmapCdb(0, list.length), list);
        assertSense(r, SenseReason.INVALID_FIELD_IN_PARAMETER_LIST);
        assertEquals(2, fieldPointer(r)[3]);
    }

    @Test
    void unmapPastTheLastBlockIsLbaOutOfRangeAndUnmapsNothing() {
        assertGood(h.run(rw10(0x2A, 0, 0, 1), pattern(512, 3)));
        byte[] list = unmapList(0, 1, 4095, 2);
        assertSense(h.run(unmapCdb(0, list.length), list), SenseReason.LBA_OUT_OF_RANGE);
        assertArrayEquals(pattern(512, 3), read(0, 1));
    }

    @Test
    void unmapOnAThickLuIsInvalidOperationCode() {
        Harness thick = new Harness();
        byte[] list = unmapList(0, 1);
        assertSense(thick.run(unmapCdb(0, list.length), list), SenseReason.INVALID_OPERATION_CODE);
    }

    @Test
    void writeSameWithUnmapDeallocatesTheRange() {
        assertGood(h.run(rw10(0x2A, 0, 10, 4), pattern(4 * 512, 9)));
        byte[] ws = rw16(0x93, 0x08, 10, 4);
        assertGood(h.run(ws, pattern(512, 5)));
        assertArrayEquals(new byte[4 * 512], read(10, 4));
    }

    @Test
    void writeSameWithNdobWritesZerosWithoutDataOut() {
        assertGood(h.run(rw10(0x2A, 0, 20, 2), pattern(1024, 4)));
        assertGood(h.run(rw16(0x93, 0x01, 20, 2)));
        assertArrayEquals(new byte[1024], read(20, 2));
    }

    @Test
    void writeSameWithMoreThanOneBlockOfDataOutIsRejected() {
        assertSense(h.run(rw10(0x41, 0x08, 0, 1), new byte[1024]), SenseReason.INVALID_FIELD_IN_INFORMATION_UNIT);
    }

    @Test
    void readCapacity16SetsLbpmeAndLbprzOnAThinLu() {
        byte[] d = data(h.run(cdb(0x9E, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0)));
        assertEquals(0xC0, d[14] & 0xC0);
        assertEquals(3, d[13] & 0x0F, "eight 512-byte blocks per 4 KiB physical block");
    }

    @Test
    void logicalBlockProvisioningPageSaysThinWithUnmapAndWriteSameUnmap() {
        byte[] d = data(h.run(cdb(0x12, 1, 0xB2, 0, 64, 0)));
        assertEquals(0xE4, d[5] & 0xFF);
        assertEquals(2, d[6] & 0x07);
    }

    @Test
    void blockLimitsPageReportsUnmapAndAtomicLimits() {
        byte[] d = data(h.run(cdb(0x12, 1, 0xB0, 0, 64, 0)));
        assertEquals(1L << 20, Harness.u32(d, 20));
        assertEquals(256, Harness.u32(d, 24));
        assertEquals(8, Harness.u32(d, 28));
        assertEquals(8192, Harness.u32(d, 44));
    }

    @Test
    void writeAtomicWritesItsBlocks() {
        byte[] c = cdb(0x9C, 0, 0, 0, 0, 0, 0, 0, 0, 30, 0, 0, 0, 2, 0, 0);
        assertGood(h.run(c, pattern(1024, 8)));
        assertArrayEquals(pattern(1024, 8), read(30, 2));
    }

    @Test
    void writeAtomicWithAnAtomicBoundaryIsInvalidFieldInCdb() {
        byte[] c = cdb(0x9C, 0, 0, 0, 0, 0, 0, 0, 0, 30, 0, 1, 0, 2, 0, 0);
        ScsiResult r = h.run(c, pattern(1024, 8));
        assertSense(r, SenseReason.INVALID_FIELD_IN_CDB);
        assertEquals(10, fieldPointer(r)[3]);
    }
}
