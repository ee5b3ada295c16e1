package org.remaptarget.target.scsi.sbc;

import org.remaptarget.target.lun.LogicalUnit;
import org.remaptarget.target.scsi.Command;
import org.remaptarget.target.scsi.CommandHandler;
import org.remaptarget.target.scsi.ScsiFailure;
import org.remaptarget.target.scsi.ScsiResult;
import org.remaptarget.target.scsi.SenseReason;

/**
 * READ and WRITE (6), (10), (12), (16) (SBC-3 §5.11–5.16, §5.29–5.34). Checks, in order: protection fields (none
 * supported: 24/00), LBA range including 64-bit overflow (21/00, before any I/O), MAXIMUM TRANSFER LENGTH (24/00),
 * and for writes that the initiator sent all the data the CDB announces (0E/03 otherwise; extra data is ignored).
 * A transfer length of 0 moves nothing (6-byte: 0 means 256). Reads land directly in the Data-In array. Writes are
 * durable before GOOD when FUA is set or the write cache is disabled. Stateless.
 */
final class ReadWriteHandler implements CommandHandler {
    private final int cdbSize;
    private final boolean write;

    ReadWriteHandler(int cdbSize, boolean write) {
        this.cdbSize = cdbSize;
        this.write = write;
    }

    @Override
    public ScsiResult execute(Command c) throws ScsiFailure {
        LogicalUnit lu = c.lu();
        BlockRange r = BlockRange.parse(c, cdbSize);
        long blocks = cdbSize == 6 && r.blocks() == 0 ? 256 : r.blocks();
        int bs = lu.blockSize();
        boolean fua = false;
        if (cdbSize != 6) {
            if ((c.u8(1) & 0xE0) != 0) { // RDPROTECT / WRPROTECT
                throw ScsiFailure.cdb(1, 7);
            }
            fua = c.bit(1, 3);
        }
        c.setTransferLength(blocks * bs);
        c.checkRange(r.lba(), blocks);
        if (blocks > lu.settings().maxTransferBlocks()) {
            throw ScsiFailure.cdb(r.lengthOffset());
        }
        if (blocks == 0) {
            return ScsiResult.good();
        }
        int bytes = (int) (blocks * bs);
        if (write) {
            if (c.dataOutLength() < bytes) {
                throw ScsiFailure.of(SenseReason.INVALID_FIELD_IN_INFORMATION_UNIT);
            }
            lu.backend().write(r.lba(), (int) blocks, c.dataOut(), 0, fua || !lu.mode().wce());
            lu.writeCommands.increment();
            lu.writeBytes.add(bytes);
            return ScsiResult.goodTransferred(bytes);
        }
        byte[] data = new byte[bytes];
        lu.backend().read(r.lba(), (int) blocks, data, 0);
        lu.readCommands.increment();
        lu.readBytes.add(bytes);
        return ScsiResult.goodWithData(data, bytes);
    }
}
