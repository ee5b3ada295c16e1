package org.remaptarget.target.scsi.sbc;

import org.remaptarget.target.lun.LogicalUnit;
import org.remaptarget.target.lun.RangeLocks;
import org.remaptarget.target.scsi.Command;
import org.remaptarget.target.scsi.CommandHandler;
import org.remaptarget.target.scsi.ScsiFailure;
import org.remaptarget.target.scsi.ScsiResult;
import org.remaptarget.target.scsi.SenseReason;

/**
 * WRITE SAME (10) and (16) (SBC-3 §5.42, §5.43): writes the one block of Data-Out to every block of the range;
 * NUMBER OF LOGICAL BLOCKS 0 means "to the last LBA" (WSNZ = 0). Longer than MAXIMUM WRITE SAME LENGTH → 24/00.
 * On a thin LU the UNMAP bit deallocates the range (SBC-3 §4.7.3.4: the device server unmaps rather than writes,
 * as LIO does); with LBPRZ = 1 it then reads as zeros whatever the Data-Out block held. On a thick LU UNMAP is 24/00.
 * NDOB (16 only) means "no Data-Out, a block of zeros". ANCHOR is not supported (24/00); LBDATA/PBDATA are obsolete
 * (24/00). Takes the LU's range locks for the range while writing. Stateless.
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
        boolean ndob = cdbSize == 16 && (flags & 0x01) != 0;
        boolean unmap = (flags & 0x08) != 0;
        c.setTransferLength(ndob ? 0 : bs);
        if ((flags & 0xE0) != 0) {
            throw ScsiFailure.cdb(1, 7);
        }
        if ((flags & 0x10) != 0) { // ANCHOR
            throw ScsiFailure.cdb(1, 4);
        }
        if (unmap && !lu.thin()) {
            throw ScsiFailure.cdb(1, 3);
        }
        if ((flags & 0x06) != 0) { // PBDATA / LBDATA
            throw ScsiFailure.cdb(1, (flags & 0x04) != 0 ? 2 : 1);
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
        byte[] pattern;
        if (ndob) {
            pattern = new byte[bs];
        } else {
            if (c.dataOutLength() != bs) { // exactly one block: less or more is a malformed command
                throw ScsiFailure.of(SenseReason.INVALID_FIELD_IN_INFORMATION_UNIT);
            }
            pattern = c.dataOut();
        }
        if (blocks > 0) {
            boolean fua = !lu.mode().wce();
            try (RangeLocks.Held h = lu.rangeLocks().lock(r.lba(), blocks)) {
                if (unmap) {
                    lu.backend().writeZeros(r.lba(), blocks);
                    if (fua) {
                        lu.backend().flush();
                    }
                } else {
                    lu.backend().writeSame(r.lba(), blocks, pattern, 0, fua);
                }
            }
            lu.countWrite(blocks * bs);
        }
        return ndob ? ScsiResult.good() : ScsiResult.goodTransferred(bs);
    }
}
