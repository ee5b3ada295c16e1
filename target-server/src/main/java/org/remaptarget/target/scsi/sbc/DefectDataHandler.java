package org.remaptarget.target.scsi.sbc;

import org.remaptarget.target.scsi.Command;
import org.remaptarget.target.scsi.CommandHandler;
import org.remaptarget.target.scsi.ScsiFailure;
import org.remaptarget.target.scsi.ScsiResult;
import org.remaptarget.target.scsi.SenseReason;

/**
 * READ DEFECT DATA (10) and (12) (SBC-3 §5.12, §5.13): the primary list of a virtual disk is empty; the grown list
 * is the backend's remapped LBAs (GLISTV = 0 when the backend keeps no list). Address descriptors in short block
 * format (000b, 4 bytes) when every LBA fits in 32 bits and it was requested, else long block format (011b,
 * 8 bytes); the header names the format returned. The (10) form's 16-bit length field caps the list it describes.
 * When a list was requested in another format (bytes from index, physical sector, or short block for LBAs beyond
 * 32 bits) the list is still transferred and the command ends in RECOVERED ERROR 1C/00 (DEFECT LIST NOT FOUND).
 */
final class DefectDataHandler implements CommandHandler {
    private static final int SHORT_BLOCK = 0;
    private static final int LONG_BLOCK = 3;

    private final boolean twelve;

    DefectDataHandler(boolean twelve) {
        this.twelve = twelve;
    }

    @Override
    public ScsiResult execute(Command c) throws ScsiFailure {
        int flags = twelve ? c.u8(1) : c.u8(2);
        boolean reqPlist = (flags & 0x10) != 0;
        boolean reqGlist = (flags & 0x08) != 0;
        int requested = flags & 0x07;
        long alloc = twelve ? c.u32(6) : c.u16(7);
        long index = twelve ? c.u32(2) : 0;
        long[] grown = reqGlist ? c.lu().backend().grownDefects() : null;
        long[] list = grown == null ? new long[0] : grown;
        boolean fitsShort = list.length == 0 || list[list.length - 1] <= 0xFFFFFFFFL;
        int format = requested == SHORT_BLOCK && fitsShort ? SHORT_BLOCK : LONG_BLOCK;
        int size = format == SHORT_BLOCK ? 4 : 8;
        int headerLen = twelve ? 8 : 4;
        long maxEntries = twelve ? (Integer.MAX_VALUE - headerLen) / size : 0xFFFF / size;
        int first = (int) Math.min(index, list.length);
        int n = (int) Math.min(list.length - first, maxEntries);
        byte[] d = new byte[headerLen + n * size];
        d[1] = (byte) ((reqPlist ? 0x10 : 0) | (grown != null ? 0x08 : 0) | format);
        long length = (long) (list.length - first) * size;
        if (twelve) {
            put(d, 4, Math.min(length, 0xFFFFFFFFL), 4);
        } else {
            put(d, 2, Math.min(length, (long) n * size), 2);
        }
        for (int i = 0; i < n; i++) {
            put(d, headerLen + i * size, list[first + i], size);
        }
        ScsiResult done = Command.dataIn(d, d.length, alloc);
        if ((reqPlist || reqGlist) && format != requested) {
            // SBC-3 §5.12: the list is transferred in the format the device chose, then RECOVERED ERROR 1C/00
            return c.withSense(done, ScsiFailure.of(SenseReason.DEFECT_LIST_NOT_FOUND_RECOVERED));
        }
        return done;
    }

    private static void put(byte[] d, int off, long v, int len) {
        for (int i = len - 1; i >= 0; i--) {
            d[off + i] = (byte) v;
            v >>>= 8;
        }
    }
}
