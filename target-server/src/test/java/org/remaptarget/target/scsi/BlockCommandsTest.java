package org.remaptarget.target.scsi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.remaptarget.target.scsi.Harness.BLOCKS;
import static org.remaptarget.target.scsi.Harness.BS;
import static org.remaptarget.target.scsi.Harness.assertGood;
import static org.remaptarget.target.scsi.Harness.assertSense;
import static org.remaptarget.target.scsi.Harness.cdb;
import static org.remaptarget.target.scsi.Harness.data;
import static org.remaptarget.target.scsi.Harness.fieldPointer;
import static org.remaptarget.target.scsi.Harness.information;
import static org.remaptarget.target.scsi.Harness.pattern;
import static org.remaptarget.target.scsi.Harness.rw10;
import static org.remaptarget.target.scsi.Harness.rw16;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.remaptarget.target.lun.LunSettings;

/** Every SBC command other than plain READ/WRITE. */
class BlockCommandsTest {
    private final Harness h = new Harness();

    @Test
    void readCapacity10ReportsTheLastLbaAndBlockLength() {
        byte[] d = data(h.run(cdb(0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0)));
        assertEquals(BLOCKS - 1, ((d[2] & 0xff) << 8) | (d[3] & 0xff));
        assertEquals(BS, ((d[6] & 0xff) << 8) | (d[7] & 0xff));
    }

    @Test
    void readCapacity10WithAnLbaButNoPmiIsInvalidFieldInCdb() {
        assertSense(h.run(cdb(0x25, 0, 0, 0, 0, 1, 0, 0, 0, 0)), SenseReason.INVALID_FIELD_IN_CDB);
    }

    @Test
    void readCapacity16ReportsTheLastLbaAndNoThinProvisioning() {
        byte[] d = data(h.run(cdb(0x9E, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0)));
        assertEquals(32, d.length);
        assertEquals(BLOCKS - 1, ((d[6] & 0xff) << 8) | (d[7] & 0xff));
        assertEquals(0, d[14] & 0xC0, "LBPME/LBPRZ");
    }

    @Test
    void unknownServiceActionOfServiceActionIn16IsInvalidOperationCode() {
        assertSense(h.run(cdb(0x9E, 0x1F, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0)),
                SenseReason.INVALID_OPERATION_CODE);
    }

    @Test
    void verifyWithoutByteCheckReadsTheMediumAndReportsItsErrors() {
        assertGood(h.run(rw10(0x2F, 0, 0, 8)));
        h.device.badForRead.add(5L);
        ScsiResult r = h.run(rw10(0x2F, 0, 0, 8));
        assertSense(r, SenseReason.UNRECOVERED_READ_ERROR);
        assertEquals(5, information(r));
    }

    @Test
    void verifyWithByteCheckAcceptsMatchingData() {
        byte[] d = pattern(4 * BS, 4);
        h.run(rw10(0x2A, 0, 20, 4), d);
        assertGood(h.run(rw10(0x2F, 0x02, 20, 4), d));
    }

    @Test
    void verifyWithByteCheckReportsMiscompareWithTheOffsetOfTheFirstDifference() {
        byte[] d = pattern(4 * BS, 4);
        h.run(rw10(0x2A, 0, 20, 4), d);
        d[3 * BS + 17] ^= 0x55;
        ScsiResult r = h.run(rw10(0x2F, 0x02, 20, 4), d);
        assertSense(r, SenseReason.MISCOMPARE_DURING_VERIFY);
        assertEquals(3 * BS + 17, information(r));
    }

    @Test
    void verifyByteCheck3ComparesOneBlockWithEveryBlock() {
        byte[] block = pattern(BS, 8);
        for (int i = 0; i < 3; i++) {
            h.run(rw10(0x2A, 0, 30 + i, 1), block);
        }
        assertGood(h.run(rw10(0x2F, 0x06, 30, 3), block));
        h.run(rw10(0x2A, 0, 32, 1), pattern(BS, 9));
        assertSense(h.run(rw10(0x2F, 0x06, 30, 3), block), SenseReason.MISCOMPARE_DURING_VERIFY);
    }

    @Test
    void verifyBeyondTheEndIsLbaOutOfRange() {
        assertSense(h.run(rw16(0x8F, 0, BLOCKS, 1)), SenseReason.LBA_OUT_OF_RANGE);
    }

    @Test
    void verifyWithVrprotectIsInvalidFieldInCdb() {
        assertSense(h.run(rw10(0x2F, 0x20, 0, 1)), SenseReason.INVALID_FIELD_IN_CDB);
    }

    @Test
    void writeAndVerifyWritesDurablyAndReadsBack() {
        byte[] d = pattern(2 * BS, 6);
        assertGood(h.run(rw10(0x2E, 0x02, 50, 2), d));
        assertEquals(1, h.device.fuaWrites.get());
        assertArrayEquals(d, data(h.run(rw10(0x28, 0, 50, 2))));
    }

    @Test
    void writeAndVerifyTwelveAndSixteenByteFormsWork() {
        byte[] d = pattern(BS, 2);
        assertGood(h.run(Harness.rw12(0xAE, 0, 60, 1), d));
        assertGood(h.run(rw16(0x8E, 0, 61, 1), d));
        assertArrayEquals(d, data(h.run(rw10(0x28, 0, 61, 1))));
    }

    @Test
    void writeSameWritesThePatternOverTheWholeRange() {
        byte[] block = pattern(BS, 11);
        assertGood(h.run(rw10(0x41, 0, 100, 300), block));
        byte[] all = data(h.run(rw10(0x28, 0, 100, 300)));
        for (int i = 0; i < 300; i++) {
            assertArrayEquals(block, Arrays.copyOfRange(all, i * BS, (i + 1) * BS), "block " + i);
        }
        assertArrayEquals(new byte[BS], data(h.run(rw10(0x28, 0, 400, 1))));
    }

    @Test
    void writeSameWithZeroBlocksWritesToTheLastLba() {
        byte[] block = pattern(BS, 12);
        assertGood(h.run(rw16(0x93, 0, BLOCKS - 3, 0), block));
        assertArrayEquals(block, data(h.run(rw10(0x28, 0, BLOCKS - 1, 1))));
    }

    @Test
    void writeSameLongerThanTheMaximumIsInvalidFieldInCdb() {
        Harness small = new Harness(LunSettings.defaults(Harness.IQN, 0).withLimits(64, 1, 16));
        assertSense(small.run(rw10(0x41, 0, 0, 17), pattern(BS, 0)), SenseReason.INVALID_FIELD_IN_CDB);
        assertGood(small.run(rw10(0x41, 0, 0, 16), pattern(BS, 0)));
    }

    @Test
    void writeSameWithUnmapIsInvalidFieldInCdbUntilThinProvisioningExists() {
        ScsiResult r = h.run(rw10(0x41, 0x08, 0, 1), new byte[BS]);
        assertSense(r, SenseReason.INVALID_FIELD_IN_CDB);
        assertArrayEquals(new int[] {1, 1, 3, 1}, fieldPointer(r));
    }

    @Test
    void writeSameBeyondTheEndIsLbaOutOfRange() {
        assertSense(h.run(rw10(0x41, 0, BLOCKS + 1, 0), new byte[BS]), SenseReason.LBA_OUT_OF_RANGE);
    }

    @Test
    void synchronizeCacheFlushesTheDevice() {
        assertGood(h.run(rw10(0x35, 0, 0, 0)));
        assertGood(h.run(rw16(0x91, 0x02, 0, 0)));
        assertEquals(2, h.device.flushes.get());
    }

    @Test
    void synchronizeCacheBeyondTheEndIsLbaOutOfRange() {
        assertSense(h.run(rw10(0x35, 0, BLOCKS, 2)), SenseReason.LBA_OUT_OF_RANGE);
    }

    @Test
    void preFetchInRangeIsGoodAndBeyondTheEndIsLbaOutOfRange() {
        assertGood(h.run(rw10(0x34, 0, 0, 10)));
        assertGood(h.run(rw16(0x90, 0x02, 0, 0)));
        assertSense(h.run(rw10(0x34, 0, BLOCKS + 1, 0)), SenseReason.LBA_OUT_OF_RANGE);
    }

    @Test
    void orWriteOrsTheDataIntoTheMedium() {
        byte[] a = new byte[BS];
        Arrays.fill(a, (byte) 0xA5);
        byte[] b = new byte[BS];
        Arrays.fill(b, (byte) 0x5A);
        h.run(rw10(0x2A, 0, 70, 1), a);
        assertGood(h.run(rw16(0x8B, 0, 70, 1), b));
        byte[] ff = new byte[BS];
        Arrays.fill(ff, (byte) 0xFF);
        assertArrayEquals(ff, data(h.run(rw10(0x28, 0, 70, 1))));
    }

    @Test
    void orWriteOfZeroBlocksBeyondTheEndIsLbaOutOfRange() {
        assertGood(h.run(rw16(0x8B, 0, 0, 0)));
        assertSense(h.run(rw16(0x8B, 0, Long.MIN_VALUE, 0)), SenseReason.LBA_OUT_OF_RANGE);
    }

    private static byte[] caw(long lba, int blocks) {
        byte[] c = rw16(0x89, 0, lba, 0);
        Arrays.fill(c, 10, 16, (byte) 0);
        c[13] = (byte) blocks;
        return c;
    }

    @Test
    void compareAndWriteWritesWhenTheVerifyDataMatches() {
        byte[] old = pattern(2 * BS, 1);
        byte[] neu = pattern(2 * BS, 2);
        h.run(rw10(0x2A, 0, 80, 2), old);
        byte[] both = new byte[4 * BS];
        System.arraycopy(old, 0, both, 0, 2 * BS);
        System.arraycopy(neu, 0, both, 2 * BS, 2 * BS);
        assertGood(h.run(caw(80, 2), both));
        assertArrayEquals(neu, data(h.run(rw10(0x28, 0, 80, 2))));
    }

    @Test
    void compareAndWriteMiscompareWritesNothingAndNamesTheOffset() {
        byte[] old = pattern(BS, 1);
        h.run(rw10(0x2A, 0, 90, 1), old);
        byte[] both = new byte[2 * BS];
        System.arraycopy(old, 0, both, 0, BS);
        both[100] ^= 1;
        ScsiResult r = h.run(caw(90, 1), both);
        assertSense(r, SenseReason.MISCOMPARE_DURING_VERIFY);
        assertEquals(100, information(r));
        assertArrayEquals(old, data(h.run(rw10(0x28, 0, 90, 1))));
    }

    @Test
    void compareAndWriteWithTheWrongAmountOfDataIsIllegalRequest() {
        assertSense(h.run(caw(0, 1), new byte[BS]), SenseReason.INVALID_FIELD_IN_INFORMATION_UNIT);
    }

    @Test
    void compareAndWriteOfZeroBlocksWithDataIsInvalidFieldInCdb() {
        ScsiResult r = h.run(caw(0, 0), new byte[2 * BS]);
        assertSense(r, SenseReason.INVALID_FIELD_IN_CDB);
        assertEquals(13, fieldPointer(r)[3]);
    }

    @Test
    void unmapAndGetLbaStatusAreNotSupportedYet() {
        assertSense(h.run(cdb(0x42, 0, 0, 0, 0, 0, 0, 0, 24, 0), new byte[24]), SenseReason.INVALID_OPERATION_CODE);
    }

    @Test
    void readDefectDataReportsTheBackendsGrownListInShortBlockFormat() {
        h.grownDefects = new long[] {7, 4000};
        byte[] d = data(h.run(cdb(0x37, 0, 0x08, 0, 0, 0, 0, 0, 64, 0)));
        assertEquals(0x08, d[1], "GLISTV, short block format");
        assertEquals(8, ((d[2] & 0xff) << 8) | (d[3] & 0xff));
        assertEquals(7, d[7]);
        assertEquals(4000, ((d[10] & 0xff) << 8) | (d[11] & 0xff));
    }

    @Test
    void readDefectDataSaysTheGrownListIsUnavailableWhenTheBackendKeepsNone() {
        byte[] d = data(h.run(cdb(0x37, 0, 0x18, 0, 0, 0, 0, 0, 64, 0)));
        assertEquals(0x10, d[1] & 0x18, "PLISTV only");
        assertEquals(4, d.length);
    }

    @Test
    void readDefectData12UsesLongBlockFormatWhenAsked() {
        h.grownDefects = new long[] {1L << 33};
        byte[] c = new byte[12];
        c[0] = (byte) 0xB7;
        c[1] = 0x08 | 0x03;
        c[9] = 64;
        byte[] d = data(h.run(c));
        assertEquals(0x0B, d[1]);
        assertEquals(8, d[7]);
        assertEquals(2, d[8 + 3]);
    }
}
