package org.remaptarget.target.scsi.sbc;

import org.remaptarget.target.lun.LogicalUnit;
import org.remaptarget.target.scsi.Command;
import org.remaptarget.target.scsi.CommandHandler;
import org.remaptarget.target.scsi.ScsiFailure;
import org.remaptarget.target.scsi.ScsiResult;
import org.remaptarget.target.scsi.SenseReason;

/**
 * START STOP UNIT (SBC-3 §5.20) for a non-removable medium: POWER CONDITION 0 with START 1 starts the unit, START 0
 * flushes (unless NO_FLUSH) and stops it — media access then fails with NOT READY 04/02 until started again. LOEJ
 * with START 0 is refused while some nexus prevents removal (53/02). The power conditions ACTIVE, IDLE, STANDBY,
 * LU_CONTROL and the FORCE_* ones are accepted without effect (no power management); others are 24/00.
 */
final class StartStopHandler implements CommandHandler {
    @Override
    public ScsiResult execute(Command c) throws ScsiFailure {
        LogicalUnit lu = c.lu();
        int b4 = c.u8(4);
        int powerCondition = b4 >>> 4;
        boolean noFlush = (b4 & 0x04) != 0;
        boolean loej = (b4 & 0x02) != 0;
        boolean start = (b4 & 0x01) != 0;
        switch (powerCondition) {
            case 0 -> {
                // START and LOEJ are processed below
            }
            case 0x1, 0x2, 0x3, 0x7, 0xA, 0xB -> {
                return ScsiResult.good();
            }
            default -> throw ScsiFailure.cdb(4, 7);
        }
        if (start) {
            lu.setStarted(true);
            return ScsiResult.good();
        }
        if (loej && lu.removalPrevented()) {
            throw ScsiFailure.of(SenseReason.MEDIUM_REMOVAL_PREVENTED);
        }
        if (!noFlush) {
            lu.backend().flush();
        }
        lu.setStarted(false);
        return ScsiResult.good();
    }
}
