package org.remaptarget.target.scsi.sbc;

import org.remaptarget.target.lun.LogicalUnit;
import org.remaptarget.target.scsi.Command;
import org.remaptarget.target.scsi.CommandHandler;
import org.remaptarget.target.scsi.ScsiFailure;
import org.remaptarget.target.scsi.ScsiResult;
import org.remaptarget.target.scsi.SenseReason;

/**
 * START STOP UNIT (SBC-3 §5.20): POWER CONDITION 0 with START 1 starts the unit, START 0 flushes (unless NO_FLUSH)
 * and stops it — media access then fails with NOT READY 04/02 until started again. LOEJ is refused while some nexus
 * prevents removal (53/02); on a removable LU, LOEJ with START 0 ejects the medium (media access then fails with
 * NOT READY 3A/00) and LOEJ with START 1 loads it again. A removable LU behaves like an optical drive (MMC): START 0
 * without LOEJ leaves its medium ready (the drive spins down on its own and back up on access), and every POWER
 * CONDITION value is accepted without effect. The power conditions ACTIVE, IDLE, STANDBY,
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
            default -> {
                if (lu.removable()) {
                    return ScsiResult.good();
                }
                throw ScsiFailure.cdb(4, 7);
            }
        }
        if (loej && lu.removalPrevented()) {
            throw ScsiFailure.of(SenseReason.MEDIUM_REMOVAL_PREVENTED);
        }
        if (start) {
            if (loej && lu.removable()) {
                lu.setMediumLoaded(true);
            }
            lu.setStarted(true);
            return ScsiResult.good();
        }
        if (!noFlush && lu.mediumLoaded()) {
            lu.backend().flush();
        }
        if (!lu.removable()) {
            lu.setStarted(false);
        } else if (loej) {
            lu.setMediumLoaded(false);
        }
        return ScsiResult.good();
    }
}
