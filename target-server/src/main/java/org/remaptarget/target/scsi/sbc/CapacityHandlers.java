package org.remaptarget.target.scsi.sbc;

import org.remaptarget.target.lun.LogicalUnit;
import org.remaptarget.target.scsi.Command;
import org.remaptarget.target.scsi.ScsiFailure;
import org.remaptarget.target.scsi.ScsiResult;

/**
 * READ CAPACITY (10) and (16) (SBC-3 §5.15, §5.16): the last LBA (FFFFFFFFh in the 10-byte form when it does not
 * fit, telling the initiator to use the 16-byte form) and the block length; no protection; LBPME and LBPRZ set on
 * a thin-provisioned LU; one logical block per physical block. Stateless.
 */
final class CapacityHandlers {
    private CapacityHandlers() {
    }

    static ScsiResult readCapacity10(Command c) throws ScsiFailure {
        LogicalUnit lu = c.lu();
        boolean pmi = c.bit(8, 0);
        if (!pmi && c.u32(2) != 0) {
            throw ScsiFailure.cdb(2);
        }
        byte[] d = new byte[8];
        long last = Math.min(lu.blockCount() - 1, 0xFFFFFFFFL);
        put32(d, 0, last);
        put32(d, 4, lu.blockSize());
        return ScsiResult.goodWithData(d, d.length);
    }

    static ScsiResult readCapacity16(Command c) throws ScsiFailure {
        LogicalUnit lu = c.lu();
        long alloc = c.u32(10);
        byte[] d = new byte[32];
        long last = lu.blockCount() - 1;
        put32(d, 0, last >>> 32);
        put32(d, 4, last);
        put32(d, 8, lu.blockSize());
        // LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT: the backing file's 4 KiB allocation unit
        d[13] = (byte) physicalExponent(lu.blockSize());
        if (lu.thin()) {
            d[14] = (byte) 0xC0; // LBPME, LBPRZ: deallocated blocks read as zeros
        }
        return Command.dataIn(d, d.length, alloc);
    }

    /** log2 of logical blocks per 4 KiB physical block (3 for 512-byte blocks, 0 for 4096). */
    static int physicalExponent(int blockSize) {
        return Integer.numberOfTrailingZeros(Math.max(1, 4096 / blockSize));
    }

    private static void put32(byte[] d, int off, long v) {
        d[off] = (byte) (v >>> 24);
        d[off + 1] = (byte) (v >>> 16);
        d[off + 2] = (byte) (v >>> 8);
        d[off + 3] = (byte) v;
    }
}
