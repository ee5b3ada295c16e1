package org.remaptarget.target.scsi.sbc;

import org.remaptarget.target.backend.RecoveredError;
import org.remaptarget.target.lun.LogicalUnit;
import org.remaptarget.target.lun.RangeLocks;
import org.remaptarget.target.scsi.Command;
import org.remaptarget.target.scsi.CommandHandler;
import org.remaptarget.target.scsi.DataBufferPool;
import org.remaptarget.target.scsi.PooledBuffer;
import org.remaptarget.target.scsi.ScsiFailure;
import org.remaptarget.target.scsi.ScsiResult;

/**
 * READ and WRITE (6), (10), (12), (16) (SBC-3 §5.11–5.16, §5.29–5.34). Checks, in order: protection fields (none
 * supported: 24/00), LBA range including 64-bit overflow (21/00, before any I/O), MAXIMUM TRANSFER LENGTH (24/00),
 * For writes, only the whole blocks of Data-Out actually received are written (EDTL shorter than the CDB: the
 * transport reports the overflow residual); extra data beyond the CDB's length is ignored.
 * A transfer length of 0 moves nothing (6-byte: 0 means 256). Reads land directly in the Data-In buffer: for
 * {@link #POOLED_MIN_BYTES} and more a pooled direct buffer (released here if the read fails, else by whoever
 * sends or drops the result), below that a fresh array. Writes are
 * durable before GOOD when FUA is set or the write cache is disabled. A write the storage recovered by moving a
 * block to a spare, or a read that needed retries, completes with GOOD, or, when PER is set, with RECOVERED ERROR
 * (0C/01, 17/01 or 17/06) naming the block and with all its data. Stateless.
 */
final class ReadWriteHandler implements CommandHandler {
    /** Reads at least this long use the target's direct buffer pool. */
    static final int POOLED_MIN_BYTES = 64 * 1024;

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
            if (write) {
                c.requireWritable();
            }
            return ScsiResult.good();
        }
        int bytes = (int) (blocks * bs);
        if (write) {
            c.requireWritable();
            // The initiator may send less than the CDB announces (EDTL < transfer length): FCP-4 and libiscsi's
            // residual tests want the command processed up to the data actually sent, never beyond it. Only
            // whole blocks are written; the transport reports the overflow residual from the CDB's length.
            int have = (int) Math.min(blocks, c.dataOutLength() / bs);
            RecoveredError recovered = null;
            if (have > 0) {
                try (RangeLocks.Held h = lu.rangeLocks().lock(r.lba(), have)) {
                    recovered = lu.backend().writeRecovering(r.lba(), have, c.dataOut(), 0,
                            fua || !lu.mode().wce());
                }
                lu.countWrite((long) have * bs);
            }
            ScsiResult done = ScsiResult.goodTransferred(bytes);
            return c.recovered(done, recovered);
        }
        DataBufferPool pool = bytes >= POOLED_MIN_BYTES && c.target() != null ? c.target().dataBuffers() : null;
        PooledBuffer buf = pool == null ? null : pool.acquire(bytes);
        if (buf != null) {
            RecoveredError recovered;
            try {
                recovered = lu.backend().readRecovering(r.lba(), (int) blocks, buf.buffer());
            } catch (ScsiFailure | RuntimeException e) {
                buf.release(); // nothing else refers to it yet
                throw e;
            }
            lu.countRead(bytes);
            return c.recovered(ScsiResult.goodWithBuffer(buf, bytes), recovered);
        }
        byte[] data = new byte[bytes];
        RecoveredError recovered = lu.backend().readRecovering(r.lba(), (int) blocks, data, 0);
        lu.countRead(bytes);
        return c.recovered(ScsiResult.goodWithData(data, bytes), recovered);
    }
}
