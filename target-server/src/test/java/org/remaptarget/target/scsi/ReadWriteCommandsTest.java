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
import static org.remaptarget.target.scsi.Harness.rw12;
import static org.remaptarget.target.scsi.Harness.rw16;

import org.junit.jupiter.api.Test;
import org.remaptarget.target.lun.LunSettings;

class ReadWriteCommandsTest {
    private final Harness h = new Harness();

    @Test
    void write10ThenRead10ReturnsTheSameBytes() {
        byte[] d = pattern(4 * BS, 7);
        assertGood(h.run(rw10(0x2A, 0, 100, 4), d));
        ScsiResult r = h.run(rw10(0x28, 0, 100, 4));
        assertGood(r);
        assertArrayEquals(d, data(r));
    }

    @Test
    void write16AndRead12AgreeOnTheLastBlocks() {
        byte[] d = pattern(2 * BS, 3);
        assertGood(h.run(rw16(0x8A, 0, BLOCKS - 2, 2), d));
        assertArrayEquals(d, data(h.run(rw12(0xA8, 0, BLOCKS - 2, 2))));
    }

    @Test
    void write12AndRead16AgreeOnTheFirstBlock() {
        byte[] d = pattern(BS, 9);
        assertGood(h.run(rw12(0xAA, 0, 0, 1), d));
        assertArrayEquals(d, data(h.run(rw16(0x88, 0, 0, 1))));
    }

    @Test
    void read6WithZeroLengthTransfers256Blocks() {
        ScsiResult r = h.run(cdb(0x08, 0, 0, 0, 0, 0));
        assertGood(r);
        assertEquals(256 * BS, r.dataInLength());
    }

    @Test
    void write6WritesAt21BitLba() {
        byte[] d = pattern(BS, 1);
        assertGood(h.run(cdb(0x0A, 0, 0x0F, 0xA0, 1, 0), d));
        assertArrayEquals(d, data(h.run(rw10(0x28, 0, 0x0FA0, 1))));
    }

    @Test
    void read10OfZeroBlocksIsGoodWithoutData() {
        ScsiResult r = h.run(rw10(0x28, 0, 5, 0));
        assertGood(r);
        assertEquals(0, r.dataInLength());
    }

    @Test
    void read10OfZeroBlocksBeyondTheEndIsLbaOutOfRange() {
        assertSense(h.run(rw10(0x28, 0, BLOCKS + 1, 0)), SenseReason.LBA_OUT_OF_RANGE);
    }

    @Test
    void readCrossingTheLastBlockIsLbaOutOfRange() {
        assertSense(h.run(rw10(0x28, 0, BLOCKS - 1, 2)), SenseReason.LBA_OUT_OF_RANGE);
    }

    @Test
    void read16WithLbaNearTwoToThe64IsLbaOutOfRangeNotAnOverflow() {
        assertSense(h.run(rw16(0x88, 0, -1L, 1)), SenseReason.LBA_OUT_OF_RANGE);
        assertSense(h.run(rw16(0x88, 0, Long.MAX_VALUE, 2)), SenseReason.LBA_OUT_OF_RANGE);
    }

    @Test
    void writeBeyondTheEndWritesNothing() {
        byte[] d = pattern(2 * BS, 5);
        assertSense(h.run(rw10(0x2A, 0, BLOCKS - 1, 2), d), SenseReason.LBA_OUT_OF_RANGE);
        assertEquals(0, h.device.plainWrites.get() + h.device.fuaWrites.get());
    }

    @Test
    void writeWithLessDataThanTheCdbNeedsWritesOnlyTheWholeBlocksReceived() {
        byte[] d = pattern(BS + 100, 1);
        ScsiResult r = h.run(rw10(0x2A, 0, 0, 2), d);
        assertGood(r);
        assertEquals(2L * BS, r.transferLength());
        assertArrayEquals(java.util.Arrays.copyOf(d, BS), data(h.run(rw10(0x28, 0, 0, 1))));
        assertArrayEquals(new byte[BS], data(h.run(rw10(0x28, 0, 1, 1))));
    }

    @Test
    void writeWithNoDataAtAllWritesNothing() {
        ScsiResult r = h.run(h.a, 0, rw10(0x2A, 0, 0, 1), new byte[0]);
        assertGood(r);
        assertEquals(BS, r.transferLength());
        assertEquals(0, h.device.plainWrites.get());
    }

    @Test
    void writeWithMoreDataThanTheCdbNeedsWritesOnlyTheCdbAmountAndReportsIt() {
        byte[] d = pattern(3 * BS, 2);
        ScsiResult r = h.run(rw10(0x2A, 0, 10, 1), d);
        assertGood(r);
        assertEquals(BS, r.transferLength());
        assertArrayEquals(new byte[BS], data(h.run(rw10(0x28, 0, 11, 1))));
    }

    @Test
    void readReportsTheCdbByteCountThroughItsData() {
        ScsiResult r = h.run(rw10(0x28, 0, 0, 3));
        assertEquals(3 * BS, r.dataInLength());
    }

    @Test
    void fuaWriteReachesTheDeviceAsFua() {
        assertGood(h.run(rw10(0x2A, 0x08, 0, 1), pattern(BS, 0)));
        assertEquals(1, h.device.fuaWrites.get());
        assertEquals(0, h.device.plainWrites.get());
    }

    @Test
    void plainWriteWithWriteCacheEnabledIsNotFua() {
        assertGood(h.run(rw10(0x2A, 0, 0, 1), pattern(BS, 0)));
        assertEquals(1, h.device.plainWrites.get());
    }

    @Test
    void withWriteCacheDisabledEveryWriteIsFua() {
        Harness wt = new Harness(LunSettings.defaults(Harness.IQN, 0).withWriteCacheEnabled(false));
        assertGood(wt.run(rw10(0x2A, 0, 0, 1), pattern(BS, 0)));
        assertEquals(1, wt.device.fuaWrites.get());
    }

    @Test
    void nonZeroRdprotectIsInvalidFieldInCdbPointingAtByte1Bit7() {
        ScsiResult r = h.run(rw10(0x28, 0x20, 0, 1));
        assertSense(r, SenseReason.INVALID_FIELD_IN_CDB);
        assertArrayEquals(new int[] {1, 1, 7, 1}, fieldPointer(r));
    }

    @Test
    void transferLongerThanTheMaximumTransferLengthIsInvalidFieldInCdb() {
        Harness small = new Harness(LunSettings.defaults(Harness.IQN, 0).withLimits(8, 1, 1024));
        ScsiResult r = small.run(rw10(0x28, 0, 0, 9));
        assertSense(r, SenseReason.INVALID_FIELD_IN_CDB);
        assertEquals(7, fieldPointer(r)[3]);
    }

    @Test
    void readOfABadBlockIsUnrecoveredReadErrorNamingThatLba() {
        h.device.badForRead.add(42L);
        ScsiResult r = h.run(rw10(0x28, 0, 40, 4));
        assertSense(r, SenseReason.UNRECOVERED_READ_ERROR);
        assertEquals(42, information(r));
    }

    @Test
    void writeToABadBlockIsWriteErrorNamingThatLba() {
        h.device.badForWrite.add(7L);
        ScsiResult r = h.run(rw10(0x2A, 0, 7, 1), pattern(BS, 0));
        assertSense(r, SenseReason.WRITE_ERROR);
        assertEquals(7, information(r));
    }

    @Test
    void writeThatCannotBeReallocatedIsAutoReallocationFailed() {
        h.device.noSpare.add(9L);
        ScsiResult r = h.run(rw10(0x2A, 0, 8, 2), pattern(2 * BS, 0));
        assertSense(r, SenseReason.WRITE_ERROR_AUTO_REALLOCATION_FAILED);
        assertEquals(9, information(r));
    }

    @Test
    void writeToAReadOnlyLunIsWriteProtected() {
        Harness ro = new Harness(LunSettings.defaults(Harness.IQN, 0).withReadOnly(true));
        assertSense(ro.run(rw10(0x2A, 0, 0, 1), pattern(BS, 0)), SenseReason.WRITE_PROTECTED);
        assertGood(ro.run(rw10(0x28, 0, 0, 1)));
    }

    @Test
    void onAReadOnlyLunCdbErrorsAreReportedBeforeWriteProtection() {
        Harness ro = new Harness(LunSettings.defaults(Harness.IQN, 0).withReadOnly(true));
        assertSense(ro.run(rw10(0x2A, 0, BLOCKS, 1), pattern(BS, 0)), SenseReason.LBA_OUT_OF_RANGE);
        assertSense(ro.run(rw10(0x2A, 0x20, 0, 1), pattern(BS, 0)), SenseReason.INVALID_FIELD_IN_CDB);
        assertSense(ro.run(rw10(0x2A, 0, 0, 0)), SenseReason.WRITE_PROTECTED);
    }

    @Test
    void everyMediumModifyingCommandIsRefusedOnAReadOnlyLun() {
        Harness ro = new Harness(LunSettings.defaults(Harness.IQN, 0).withReadOnly(true));
        byte[] one = pattern(BS, 0);
        assertSense(ro.run(cdb(0x0A, 0, 0, 0, 1, 0), one), SenseReason.WRITE_PROTECTED);
        assertSense(ro.run(rw12(0xAA, 0, 0, 1), one), SenseReason.WRITE_PROTECTED);
        assertSense(ro.run(rw16(0x8A, 0, 0, 1), one), SenseReason.WRITE_PROTECTED);
        assertSense(ro.run(rw10(0x2E, 0, 0, 1), one), SenseReason.WRITE_PROTECTED);
        assertSense(ro.run(rw10(0x41, 0, 0, 1), one), SenseReason.WRITE_PROTECTED);
        assertSense(ro.run(rw16(0x93, 0, 0, 1), one), SenseReason.WRITE_PROTECTED);
        assertSense(ro.run(rw16(0x8B, 0, 0, 1), one), SenseReason.WRITE_PROTECTED);
        byte[] caw = rw16(0x89, 0, 0, 0);
        caw[13] = 1;
        assertSense(ro.run(caw, pattern(2 * BS, 0)), SenseReason.WRITE_PROTECTED);
        assertEquals(0, ro.device.plainWrites.get() + ro.device.fuaWrites.get());
    }

    @Test
    void aFailedWriteReportsTheCdbLengthForResidualsAndAFailedReadReportsNone() {
        ScsiResult w = h.run(rw10(0x2A, 0, BLOCKS, 2), pattern(2 * BS, 0));
        assertSense(w, SenseReason.LBA_OUT_OF_RANGE);
        assertEquals(2L * BS, w.transferLength());
        ScsiResult r = h.run(rw10(0x28, 0, BLOCKS, 2));
        assertSense(r, SenseReason.LBA_OUT_OF_RANGE);
        assertEquals(-1, r.transferLength());
        assertEquals(0, r.dataInLength());
    }
}
