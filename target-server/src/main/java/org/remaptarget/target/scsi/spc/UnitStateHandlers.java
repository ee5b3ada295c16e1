package org.remaptarget.target.scsi.spc;

import org.remaptarget.target.scsi.Command;
import org.remaptarget.target.scsi.ScsiFailure;
import org.remaptarget.target.scsi.ScsiResult;

/** TEST UNIT READY and PREVENT ALLOW MEDIUM REMOVAL: tiny handlers sharing one home. Stateless. */
final class UnitStateHandlers {
    private UnitStateHandlers() {
    }

    /** TEST UNIT READY: the screening already answered NOT READY for a stopped unit. */
    static ScsiResult testUnitReady(Command c) {
        return ScsiResult.good();
    }

    /**
     * PREVENT ALLOW MEDIUM REMOVAL (SBC-3 §5.5): the medium is not removable, but the prevent state is kept per
     * nexus so START STOP UNIT with LOEJ is refused while prevented; PREVENT values 2 and 3 are obsolete (24/00).
     */
    static ScsiResult preventAllow(Command c) throws ScsiFailure {
        int prevent = c.u8(4) & 0x03;
        if (prevent > 1) {
            throw ScsiFailure.cdb(4, 1);
        }
        c.lu().setPrevent(c.nexus(), prevent == 1);
        return ScsiResult.good();
    }
}
