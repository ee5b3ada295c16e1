package org.remaptarget.target.scsi.sbc;

import org.remaptarget.target.lun.LogicalUnit;
import org.remaptarget.target.scsi.Command;
import org.remaptarget.target.scsi.CommandHandler;
import org.remaptarget.target.scsi.ScsiFailure;
import org.remaptarget.target.scsi.ScsiResult;
import org.remaptarget.target.scsi.SenseReason;

/**
 * WRITE SAME (10) and (16) (SBC-3 §5.42, §5.43): writes the one block of Data-Out to every block of the range;
 * NUMBER OF LOGICAL BLOCKS 0 means "to the last LBA" (WSNZ = 0). Longer than MAXIMUM WRITE SAME LENGTH → 24/00.
 * UNMAP, ANCHOR and NDOB need thin provisioning, which this LU does not offer yet (24/00); LBDATA/PBDATA are
 * obsolete (24/00). Stateless.
 */
final class WriteSameHandler implements CommandHandler {
    private final int cdbSize;

    WriteSameHandler(int cdbSize) {
        this.cdbSize = cdbSize;
    }

    @Override
    public ScsiResult execute(Command c) throws ScsiFailure {
        LogicalUnit lu = c.lu();
        int bs = lu.blockSize();
        int flags = c.u8(1);
        c.setTransferLength(bs);
        if ((flags & 0xE0) != 0) {
            throw ScsiFailure.cdb(1, 7);
        }
        if ((flags & 0x10) != 0) { // ANCHOR
            throw ScsiFailure.cdb(1, 4);
        }
        if ((flags & 0x08) != 0) { // UNMAP
            throw ScsiFailure.cdb(1, 3);
        }
        if ((flags & 0x06) != 0) { // PBDATA / LBDATA
            throw ScsiFailure.cdb(1, (flags & 0x04) != 0 ? 2 : 1);
        }
        if (cdbSize == 16 && (flags & 0x01) != 0) { // NDOB
            throw ScsiFailure.cdb(1, 0);
        }
        BlockRange r = BlockRange.parse(c, cdbSize);
        long blocks = r.blocks();
        if (blocks == 0 && r.lba() >= 0 && r.lba() <= lu.blockCount()) {
            blocks = lu.blockCount() - r.lba();
        }
        c.checkRange(r.lba(), blocks);
        if (blocks > lu.settings().maxWriteSameBlocks()) {
            throw ScsiFailure.cdb(r.lengthOffset());
        }
        c.requireWritable();
        if (c.dataOutLength() < bs) {
            throw ScsiFailure.of(SenseReason.INVALID_FIELD_IN_INFORMATION_UNIT);
        }
        if (blocks > 0) {
            lu.backend().writeSame(r.lba(), blocks, c.dataOut(), 0, !lu.mode().wce());
            lu.countWrite(blocks * bs);
        }
        return ScsiResult.goodTransferred(bs);
    }
}
