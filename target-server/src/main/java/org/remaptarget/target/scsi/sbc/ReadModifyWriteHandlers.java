package org.remaptarget.target.scsi.sbc;

import org.remaptarget.target.lun.LogicalUnit;
import org.remaptarget.target.lun.RangeLocks;
import org.remaptarget.target.scsi.Command;
import org.remaptarget.target.scsi.ScsiFailure;
import org.remaptarget.target.scsi.ScsiResult;
import org.remaptarget.target.scsi.SenseReason;

/**
 * COMPARE AND WRITE (SBC-3 §5.2) and ORWRITE (16) (SBC-3 §5.7): read, combine, write, under the LU's
 * LU's range locks for their blocks — the same locks every write path takes — so nothing else writes those blocks,
 * from any session, between the read and the write. COMPARE AND WRITE takes 2×N blocks of Data-Out
 * (verify data then write data); a difference ends in MISCOMPARE 1D/00 with the byte offset in INFORMATION and
 * nothing written. ORWRITE ORs the Data-Out into the medium (BMOP 000b).
 */
final class ReadModifyWriteHandlers {
    /** MAXIMUM COMPARE AND WRITE LENGTH reported in the block limits VPD page. */
    static final int MAX_COMPARE_AND_WRITE_BLOCKS = 255;

    private ReadModifyWriteHandlers() {
    }

    static ScsiResult compareAndWrite(Command c) throws ScsiFailure {
        LogicalUnit lu = c.lu();
        int bs = lu.blockSize();
        if ((c.u8(1) & 0xE0) != 0) {
            throw ScsiFailure.cdb(1, 7);
        }
        long lba = c.u64(2);
        int blocks = c.u8(13);
        c.setTransferLength(2L * blocks * bs);
        c.checkRange(lba, blocks);
        if (blocks > MAX_COMPARE_AND_WRITE_BLOCKS) {
            throw ScsiFailure.cdb(13);
        }
        c.requireWritable();
        if (blocks == 0) {
            // NUMBER OF LOGICAL BLOCKS 0 transfers nothing; Data-Out with it means the field is wrong (an initiator
            // asking for 256 blocks wraps to 0 in this 8-bit field).
            if (c.dataOutLength() > 0) {
                throw ScsiFailure.cdb(13);
            }
            return ScsiResult.good();
        }
        int half = blocks * bs;
        if (c.dataOutLength() != 2 * half) {
            throw ScsiFailure.of(SenseReason.INVALID_FIELD_IN_INFORMATION_UNIT);
        }
        byte[] data = c.dataOut();
        byte[] current = new byte[half];
        try (RangeLocks.Held h = lu.rangeLocks().lock(lba, blocks)) {
            lu.backend().read(lba, blocks, current, 0);
            int at = java.util.Arrays.mismatch(current, 0, half, data, 0, half);
            if (at >= 0) {
                throw ScsiFailure.at(SenseReason.MISCOMPARE_DURING_VERIFY, at);
            }
            lu.backend().write(lba, blocks, data, half, c.bit(1, 3) || !lu.mode().wce());
        }
        lu.countWrite(half);
        return ScsiResult.goodTransferred(2L * half);
    }

    static ScsiResult orWrite16(Command c) throws ScsiFailure {
        LogicalUnit lu = c.lu();
        int bs = lu.blockSize();
        if ((c.u8(1) & 0xE0) != 0) {
            throw ScsiFailure.cdb(1, 7);
        }
        BlockRange r = BlockRange.parse(c, 16);
        long blocks = r.blocks();
        c.setTransferLength(blocks * bs);
        c.checkRange(r.lba(), blocks);
        if (blocks > lu.settings().maxTransferBlocks()) {
            throw ScsiFailure.cdb(r.lengthOffset());
        }
        c.requireWritable();
        if (blocks == 0) {
            return ScsiResult.good();
        }
        int bytes = (int) blocks * bs;
        if (c.dataOutLength() < bytes) {
            throw ScsiFailure.of(SenseReason.INVALID_FIELD_IN_INFORMATION_UNIT);
        }
        byte[] data = c.dataOut();
        byte[] merged = new byte[bytes];
        try (RangeLocks.Held h = lu.rangeLocks().lock(r.lba(), blocks)) {
            lu.backend().read(r.lba(), (int) blocks, merged, 0);
            for (int i = 0; i < bytes; i++) {
                merged[i] |= data[i];
            }
            lu.backend().write(r.lba(), (int) blocks, merged, 0, c.bit(1, 3) || !lu.mode().wce());
        }
        lu.countWrite(bytes);
        return ScsiResult.goodTransferred(bytes);
    }
}
