package org.remaptarget.target.scsi.spc;

import org.remaptarget.target.lun.LogicalUnit;
import org.remaptarget.target.scsi.Command;
import org.remaptarget.target.scsi.CommandHandler;
import org.remaptarget.target.scsi.ScsiFailure;
import org.remaptarget.target.scsi.ScsiResult;
import org.remaptarget.target.scsi.SenseData;
import org.remaptarget.target.scsi.SenseReason;

/**
 * REQUEST SENSE (SPC-4 §6.39): returns, with GOOD status, the oldest pending unit attention of this nexus (and
 * clears it), then a pending informational exception (page 1Ch), NOT READY while stopped, LOGICAL UNIT NOT SUPPORTED for a missing LUN, else NO SENSE. With autosense
 * there is no other pending sense. The DESC bit selects the format.
 */
final class RequestSenseHandler implements CommandHandler {
    @Override
    public ScsiResult execute(Command c) throws ScsiFailure {
        boolean desc = c.bit(1, 0);
        int alloc = c.u8(4);
        LogicalUnit lu = c.lu();
        SenseReason r;
        if (lu != null && lu.sanitize().inProgress()) {
            byte[] s = SenseData.withProgress(SenseReason.NOT_READY_SANITIZE_IN_PROGRESS, lu.sanitize().progress(),
                    desc);
            return Command.dataIn(s, s.length, alloc);
        }
        if (lu == null) {
            r = SenseReason.LOGICAL_UNIT_NOT_SUPPORTED;
        } else {
            r = lu.unitAttentions().poll(c.nexus());
            if (r == null) {
                r = lu.pendingInformationalException(c.nexus(), true);
            }
            if (r == null) {
                r = !lu.mediumLoaded() ? SenseReason.NOT_READY_MEDIUM_NOT_PRESENT : lu.isStarted()
                        ? SenseReason.NO_SENSE : SenseReason.NOT_READY_INITIALIZING_COMMAND_REQUIRED;
            }
        }
        byte[] s = SenseData.build(r, desc);
        return Command.dataIn(s, s.length, alloc);
    }
}
