package org.remaptarget.target.scsi.spc;

import org.remaptarget.target.lun.LogicalUnit;
import org.remaptarget.target.scsi.Command;
import org.remaptarget.target.scsi.CommandHandler;
import org.remaptarget.target.scsi.ScsiFailure;
import org.remaptarget.target.scsi.ScsiResult;

/**
 * LOG SENSE (SPC-4 §6.6) over {@link LogPages}. Checks, in order: SP (saving log parameters is not supported) and
 * PPC (parameters changed since the last LOG SELECT: not supported) → 24/00 at their bits; an unsupported page and
 * subpage → 24/00 at the page code; a PARAMETER POINTER beyond the page's last parameter code → 24/00 at the
 * pointer. PC 01b returns the current cumulative values, 11b the defaults (zeros); threshold values (00b, 10b) are
 * reported as zeros (no thresholds are kept). The storage is asked for its counters once per command. Stateless.
 */
final class LogSenseHandler implements CommandHandler {

    @Override
    public ScsiResult execute(Command c) throws ScsiFailure {
        LogicalUnit lu = c.lu();
        if (c.bit(1, 0)) {
            throw ScsiFailure.cdb(1, 0);
        }
        if (c.bit(1, 1)) {
            throw ScsiFailure.cdb(1, 1);
        }
        int pc = c.u8(2) >>> 6;
        int page = c.u8(2) & 0x3F;
        int subpage = c.u8(3);
        int pointer = c.u16(5);
        long alloc = c.u16(7);
        if (!LogPages.supported(page, subpage)) {
            throw ScsiFailure.cdb(subpage != 0 && LogPages.supported(page, 0) ? 3 : 2,
                    subpage != 0 && LogPages.supported(page, 0) ? 7 : 5);
        }
        if (pointer > Math.max(0, LogPages.lastParameter(page))) {
            throw ScsiFailure.cdb(5);
        }
        boolean current = pc == 1;
        byte[] d = LogPages.encode(page, subpage, pointer, current ? lu.backend().counters() : null,
                lu.backend().failurePredicted(), current);
        return Command.dataIn(d, d.length, alloc);
    }
}
