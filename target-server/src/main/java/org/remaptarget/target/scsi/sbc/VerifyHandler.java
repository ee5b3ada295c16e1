package org.remaptarget.target.scsi.sbc;

import org.remaptarget.target.backend.RecoveredError;
import org.remaptarget.target.lun.LogicalUnit;
import org.remaptarget.target.lun.RangeLocks;
import org.remaptarget.target.scsi.Command;
import org.remaptarget.target.scsi.CommandHandler;
import org.remaptarget.target.scsi.ScsiFailure;
import org.remaptarget.target.scsi.ScsiResult;
import org.remaptarget.target.scsi.SenseReason;

/**
 * VERIFY (10), (12), (16) and WRITE AND VERIFY (10), (12), (16) (SBC-3 §5.24–5.26, §5.35–5.37).
 * BYTCHK 00b: the medium is read back (medium errors are reported with their LBA); 01b: the Data-Out buffer is
 * compared with the medium and the first difference is reported as MISCOMPARE 1D/00 with its byte offset in
 * INFORMATION; 11b (VERIFY only): one block of Data-Out is compared with every block. WRITE AND VERIFY writes
 * durably first (only the whole blocks received, like WRITE) and reads back (comparing when BYTCHK is 1). The medium is processed in chunks so a long verify never holds more than {@link #CHUNK} bytes.
 */
final class VerifyHandler implements CommandHandler {
    static final int CHUNK = 1 << 20;

    private final int cdbSize;
    private final boolean writeFirst;

    VerifyHandler(int cdbSize, boolean writeFirst) {
        this.cdbSize = cdbSize;
        this.writeFirst = writeFirst;
    }

    @Override
    public ScsiResult execute(Command c) throws ScsiFailure {
        LogicalUnit lu = c.lu();
        BlockRange r = BlockRange.parse(c, cdbSize);
        int bs = lu.blockSize();
        if ((c.u8(1) & 0xE0) != 0) { // VRPROTECT / WRPROTECT
            throw ScsiFailure.cdb(1, 7);
        }
        int bytchk = (c.u8(1) >>> 1) & 0x03;
        if (bytchk == 2 || (writeFirst && bytchk == 3)) {
            throw ScsiFailure.cdb(1, 2);
        }
        long blocks = r.blocks();
        long transfer = writeFirst || bytchk == 1 ? blocks * bs : bytchk == 3 ? (blocks == 0 ? 0 : bs) : 0;
        c.setTransferLength(transfer);
        c.checkRange(r.lba(), blocks);
        if (blocks > lu.settings().maxTransferBlocks()) {
            throw ScsiFailure.cdb(r.lengthOffset());
        }
        if (writeFirst) {
            c.requireWritable();
        }
        if (blocks == 0) {
            return ScsiResult.good();
        }
        byte[] data = c.dataOut();
        if (writeFirst) {
            // As for WRITE: process only the whole blocks the initiator actually sent (EDTL residual rules).
            int have = (int) Math.min(blocks, c.dataOutLength() / bs);
            RecoveredError recovered = null;
            if (have > 0) {
                try (RangeLocks.Held h = lu.rangeLocks().lock(r.lba(), have)) {
                    recovered = lu.backend().writeRecovering(r.lba(), have, data, 0, true);
                }
                lu.countWrite((long) have * bs);
                compare(lu, r.lba(), have, data, bytchk == 1 ? 1 : 0);
            }
            ScsiResult done = ScsiResult.goodTransferred(transfer);
            return c.recovered(done, recovered);
        }
        if (c.dataOutLength() < transfer) {
            throw ScsiFailure.of(SenseReason.INVALID_FIELD_IN_INFORMATION_UNIT);
        }
        compare(lu, r.lba(), blocks, data, bytchk);
        return ScsiResult.goodTransferred(transfer);
    }

    /** Reads the range back and compares per {@code mode} (0 none, 1 whole buffer, 3 one block to each). */
    static void compare(LogicalUnit lu, long lba, long blocks, byte[] data, int mode) throws ScsiFailure {
        int bs = lu.blockSize();
        int perChunk = Math.max(1, CHUNK / bs);
        byte[] buf = new byte[(int) Math.min(blocks, perChunk) * bs];
        long done = 0;
        while (done < blocks) {
            int n = (int) Math.min(perChunk, blocks - done);
            lu.backend().read(lba + done, n, buf, 0);
            if (mode == 1) {
                int at = mismatch(buf, 0, data, (int) (done * bs), n * bs);
                if (at >= 0) {
                    throw ScsiFailure.at(SenseReason.MISCOMPARE_DURING_VERIFY, done * bs + at);
                }
            } else if (mode == 3) {
                for (int b = 0; b < n; b++) {
                    int at = mismatch(buf, b * bs, data, 0, bs);
                    if (at >= 0) {
                        throw ScsiFailure.at(SenseReason.MISCOMPARE_DURING_VERIFY, (done + b) * bs + at);
                    }
                }
            }
            done += n;
        }
    }

    /** Index of the first differing byte within {@code len}, or -1. */
    static int mismatch(byte[] a, int aOff, byte[] b, int bOff, int len) {
        int i = java.util.Arrays.mismatch(a, aOff, aOff + len, b, bOff, bOff + len);
        return i;
    }
}
