package org.remaptarget.target.scsi.sbc;

import org.remaptarget.target.lun.LogicalUnit;
import org.remaptarget.target.lun.RangeLocks;
import org.remaptarget.target.scsi.Command;
import org.remaptarget.target.scsi.ScsiFailure;
import org.remaptarget.target.scsi.ScsiResult;
import org.remaptarget.target.scsi.SenseReason;

/**
 * WRITE ATOMIC (16) (SBC-4 §5.48): LBA in bytes 2..9, ATOMIC BOUNDARY in 10..11 (only 0 is supported: the
 * reported MAXIMUM ATOMIC BOUNDARY SIZE is 0), TRANSFER LENGTH in 12..13. The write is atomic against every other
 * command that writes any of its blocks, from any session: it holds the LU's range locks for its whole range while
 * the one backend write runs, and every write path takes the same locks. Limits (VPD B0h): at most
 * {@link #maxAtomicBlocks} blocks, alignment and granularity 1. Checks in order: WRPROTECT (24/00), ATOMIC
 * BOUNDARY (24/00), LBA range (21/00), length limit (24/00), write protection (27/xx). Stateless.
 */
final class WriteAtomicHandler {
    /** MAXIMUM ATOMIC TRANSFER LENGTH reported for an LU. */
    static int maxAtomicBlocks(LogicalUnit lu) {
        return Math.min(lu.settings().maxTransferBlocks(), 8192);
    }

    private WriteAtomicHandler() {
    }

    static ScsiResult writeAtomic16(Command c) throws ScsiFailure {
        LogicalUnit lu = c.lu();
        int bs = lu.blockSize();
        long lba = c.u64(2);
        int blocks = c.u16(12);
        c.setTransferLength((long) blocks * bs);
        if ((c.u8(1) & 0xE0) != 0) {
            throw ScsiFailure.cdb(1, 7);
        }
        if (c.u16(10) != 0) {
            throw ScsiFailure.cdb(10);
        }
        c.checkRange(lba, blocks);
        if (blocks > maxAtomicBlocks(lu)) {
            throw ScsiFailure.cdb(12);
        }
        c.requireWritable();
        if (blocks == 0) {
            return ScsiResult.good();
        }
        int bytes = blocks * bs;
        if (c.dataOutLength() < bytes) {
            // an atomic write is all or nothing: never write part of it
            throw ScsiFailure.of(SenseReason.INVALID_FIELD_IN_INFORMATION_UNIT);
        }
        try (RangeLocks.Held h = lu.rangeLocks().lock(lba, blocks)) {
            lu.backend().write(lba, blocks, c.dataOut(), 0, c.bit(1, 3) || !lu.mode().wce());
        }
        lu.countWrite(bytes);
        return ScsiResult.goodTransferred(bytes);
    }
}
