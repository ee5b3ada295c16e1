package org.remaptarget.target.scsi.spc;

import org.remaptarget.target.lun.LogicalUnit;
import org.remaptarget.target.scsi.Command;
import org.remaptarget.target.scsi.CommandHandler;
import org.remaptarget.target.scsi.ScsiFailure;
import org.remaptarget.target.scsi.ScsiResult;

/**
 * LOG SELECT (SPC-4 §6.5), reset only: no log parameter can be set. With an empty parameter list and PCR set or
 * PC 11b (default cumulative values), resets the cumulative counters of the page named (02h the write counters,
 * 03h the read counters, 00h or 30h all of them; 2Fh has none), the storage keeping the baseline; PC 00b, 01b or
 * 10b with PCR clear changes nothing. SP (saving) or PCR with a parameter list → 24/00 at the bit; an
 * unimplemented page or subpage → 24/00; any parameter list → 26/00 (no parameter is changeable). Stateless.
 */
final class LogSelectHandler implements CommandHandler {

    @Override
    public ScsiResult execute(Command c) throws ScsiFailure {
        LogicalUnit lu = c.lu();
        int length = c.u16(7);
        c.setTransferLength(length);
        if (c.bit(1, 0)) {
            throw ScsiFailure.cdb(1, 0);
        }
        boolean pcr = c.bit(1, 1);
        int pc = c.u8(2) >>> 6;
        if (pcr && length != 0) {
            throw ScsiFailure.cdb(1, 1);
        }
        if (length != 0) {
            c.parameterList(length);
            throw ScsiFailure.param(0);
        }
        int page = c.u8(2) & 0x3F;
        int subpage = c.u8(3);
        if (page != 0 && !LogPages.supported(page, subpage) || page == 0 && subpage != 0) {
            throw ScsiFailure.cdb(subpage != 0 ? 3 : 2, subpage != 0 ? 7 : 5);
        }
        if (pcr || pc == 3) {
            boolean all = page == LogPages.SUPPORTED || page == LogPages.REMAP;
            lu.backend().resetCounters(all || page == LogPages.READ_ERRORS, all || page == LogPages.WRITE_ERRORS);
        }
        return ScsiResult.good();
    }
}
