package org.remaptarget.target.scsi.sbc;

import org.remaptarget.target.scsi.Command;

/**
 * LBA and number of blocks as laid out in the READ/WRITE/VERIFY family of CDBs (SBC-3 §5): 6-byte (21-bit LBA,
 * 8-bit length), 10-byte (32/16), 12-byte (32/32), 16-byte (64/32). A 64-bit LBA above 2^63 reads as negative and
 * fails the range check.
 *
 * @param lba          first logical block
 * @param blocks       number of blocks as written in the CDB (0 stays 0 here)
 * @param lengthOffset CDB offset of the transfer length field (for field pointers)
 */
record BlockRange(long lba, long blocks, int lengthOffset) {

    static BlockRange parse(Command c, int cdbSize) {
        return switch (cdbSize) {
            case 6 -> new BlockRange(c.u24(1) & 0x1FFFFF, c.u8(4), 4);
            case 10 -> new BlockRange(c.u32(2), c.u16(7), 7);
            case 12 -> new BlockRange(c.u32(2), c.u32(6), 6);
            case 16 -> new BlockRange(c.u64(2), c.u32(10), 10);
            default -> throw new IllegalArgumentException("CDB size " + cdbSize);
        };
    }
}
