package org.remaptarget.target.scsi.spc;

import java.util.ArrayList;
import java.util.List;
import org.remaptarget.target.scsi.Command;
import org.remaptarget.target.scsi.CommandHandler;
import org.remaptarget.target.scsi.ScsiFailure;
import org.remaptarget.target.scsi.ScsiResult;

/**
 * REPORT LUNS (SPC-4 §6.33): select report 0 and 2 list every LUN (LUN 0 always, as SPC requires), 1 lists the
 * well-known LUNs (none). LUNs below 256 use peripheral device addressing, the others flat space addressing.
 */
final class ReportLunsHandler implements CommandHandler {
    @Override
    public ScsiResult execute(Command c) throws ScsiFailure {
        int select = c.u8(2);
        long alloc = c.u32(6);
        if (select > 2) {
            throw ScsiFailure.cdb(2);
        }
        if (alloc < 16) {
            throw ScsiFailure.cdb(6);
        }
        List<Long> luns = new ArrayList<>();
        if (select != 1) {
            luns.addAll(c.target().lunNumbers());
            if (!luns.contains(0L)) {
                luns.add(0, 0L);
            }
        }
        byte[] d = new byte[8 + 8 * luns.size()];
        InquiryHandler.put32(d, 0, 8L * luns.size());
        int p = 8;
        for (long lun : luns) {
            if (lun < 256) {
                d[p + 1] = (byte) lun;
            } else {
                d[p] = (byte) (0x40 | (lun >>> 8));
                d[p + 1] = (byte) lun;
            }
            p += 8;
        }
        return Command.dataIn(d, d.length, alloc);
    }
}
