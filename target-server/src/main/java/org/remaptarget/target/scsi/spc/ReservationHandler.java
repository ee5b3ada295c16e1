package org.remaptarget.target.scsi.spc;

import org.remaptarget.target.scsi.Command;
import org.remaptarget.target.scsi.CommandHandler;
import org.remaptarget.target.scsi.ScsiFailure;
import org.remaptarget.target.scsi.ScsiResult;

/**
 * RESERVE and RELEASE (6) and (10), SPC-2 §7.21/§7.16 logical-unit reservations: one holder port per LU; the
 * holder may re-reserve; a RELEASE from anyone but the holder is a no-op returning GOOD. Third-party and extent
 * reservations are not supported (24/00). The reservation state lives in the LU.
 */
final class ReservationHandler implements CommandHandler {
    private final boolean reserve;
    private final boolean ten;

    ReservationHandler(boolean reserve, boolean ten) {
        this.reserve = reserve;
        this.ten = ten;
    }

    @Override
    public ScsiResult execute(Command c) throws ScsiFailure {
        if (c.bit(1, 4)) { // 3RDPTY
            throw ScsiFailure.cdb(1, 4);
        }
        if (!ten && c.bit(1, 0)) { // EXTENT (obsolete)
            throw ScsiFailure.cdb(1, 0);
        }
        if (ten && c.bit(1, 1)) { // LONGID only with 3RDPTY
            throw ScsiFailure.cdb(1, 1);
        }
        if (!reserve) {
            c.lu().release(c.nexus());
            return ScsiResult.good();
        }
        return c.lu().reserve(c.nexus()) ? ScsiResult.good() : ScsiResult.status(ScsiResult.RESERVATION_CONFLICT);
    }
}
