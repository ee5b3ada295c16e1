package org.remaptarget.target.scsi.sbc;

import org.remaptarget.target.lun.LogicalUnit;
import org.remaptarget.target.scsi.Command;
import org.remaptarget.target.scsi.CommandHandler;
import org.remaptarget.target.scsi.ScsiFailure;
import org.remaptarget.target.scsi.ScsiResult;
import org.remaptarget.target.scsi.SenseReason;

/**
 * REASSIGN BLOCKS (SBC-3 §5.20): moves each LBA of the defective LBA list to a spare through the storage
 * ({@code BlockBackend#reassign}: data copied when readable; an unreadable block stays unreadable until its next
 * write lands on a spare, never filled with invented data). LONGLBA selects 8-byte descriptors, LONGLIST a 4-byte
 * list length.
 *
 * <p>The whole list is validated before anything moves: the header must fit the Data-Out (1A/00), the list length
 * must be a whole number of descriptors (26/00 at the length field), LBAs must ascend without repeats (26/00 at the
 * descriptor) and lie inside the LU (21/00). A failure while reassigning (no spare: HARDWARE ERROR 32/00) names the
 * first LBA not reassigned in COMMAND-SPECIFIC INFORMATION; the ones before it stay reassigned. Stateless.
 */
final class ReassignBlocksHandler implements CommandHandler {

    @Override
    public ScsiResult execute(Command c) throws ScsiFailure {
        LogicalUnit lu = c.lu();
        boolean longLba = c.bit(1, 1);
        boolean longList = c.bit(1, 0);
        int header = 4;
        int have = c.dataOutLength();
        c.setTransferLength(have);
        c.requireWritable();
        if (have == 0) {
            return ScsiResult.good(); // no parameter list: nothing to reassign
        }
        if (have < header) {
            throw ScsiFailure.of(SenseReason.PARAMETER_LIST_LENGTH_ERROR);
        }
        byte[] d = c.dataOut();
        long length = longList ? u(d, 0, 4) : u(d, 2, 2);
        int size = longLba ? 8 : 4;
        if (length % size != 0) {
            throw ScsiFailure.param(longList ? 0 : 2);
        }
        if (header + length > have) {
            throw ScsiFailure.of(SenseReason.PARAMETER_LIST_LENGTH_ERROR);
        }
        int n = (int) (length / size);
        long[] lbas = new long[n];
        for (int i = 0; i < n; i++) {
            int off = header + i * size;
            long lba = u(d, off, size);
            if (i > 0 && Long.compareUnsigned(lba, lbas[i - 1]) <= 0) {
                throw ScsiFailure.param(off);
            }
            if (lba < 0 || lba >= lu.blockCount()) {
                throw ScsiFailure.of(SenseReason.LBA_OUT_OF_RANGE);
            }
            lbas[i] = lba;
        }
        for (long lba : lbas) {
            try {
                lu.backend().reassign(lba);
            } catch (ScsiFailure f) {
                throw f.withCommandSpecific(lba);
            }
        }
        return ScsiResult.good();
    }

    private static long u(byte[] d, int off, int len) {
        long v = 0;
        for (int i = 0; i < len; i++) {
            v = (v << 8) | (d[off + i] & 0xff);
        }
        return v;
    }
}
