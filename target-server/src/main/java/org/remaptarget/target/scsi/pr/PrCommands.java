package org.remaptarget.target.scsi.pr;

import static org.remaptarget.target.scsi.CommandSpec.CONFLICTS;
import static org.remaptarget.target.scsi.CommandSpec.SA_IS_FIELD;
import static org.remaptarget.target.scsi.CommandSpec.usage;

import java.util.List;
import org.remaptarget.target.scsi.CommandHandler;
import org.remaptarget.target.scsi.CommandSpec;

/**
 * PERSISTENT RESERVE IN (5Eh) and OUT (5Fh), one table entry per service action so REPORT SUPPORTED OPERATION
 * CODES lists them; an unknown service action is INVALID FIELD IN CDB. Both conflict with another nexus's SPC-2
 * reservation; persistent reservations never block them (their service actions check keys themselves).
 */
public final class PrCommands {
    public static final int PERSISTENT_RESERVE_IN = 0x5E;
    public static final int PERSISTENT_RESERVE_OUT = 0x5F;

    private static final int FLAGS = CONFLICTS | SA_IS_FIELD;
    private static final int TIMEOUT = 5;

    private PrCommands() {
    }

    public static List<CommandSpec> specs() {
        return List.of(
                in(0x00, "PERSISTENT RESERVE IN READ KEYS", PrInHandler::readKeys),
                in(0x01, "PERSISTENT RESERVE IN READ RESERVATION", PrInHandler::readReservation),
                in(0x02, "PERSISTENT RESERVE IN REPORT CAPABILITIES", PrInHandler::reportCapabilities),
                in(0x03, "PERSISTENT RESERVE IN READ FULL STATUS", PrInHandler::readFullStatus),
                out(PrOutHandler.REGISTER, "PERSISTENT RESERVE OUT REGISTER", false),
                out(PrOutHandler.RESERVE, "PERSISTENT RESERVE OUT RESERVE", true),
                out(PrOutHandler.RELEASE, "PERSISTENT RESERVE OUT RELEASE", true),
                out(PrOutHandler.CLEAR, "PERSISTENT RESERVE OUT CLEAR", false),
                out(PrOutHandler.PREEMPT, "PERSISTENT RESERVE OUT PREEMPT", true),
                out(PrOutHandler.PREEMPT_AND_ABORT, "PERSISTENT RESERVE OUT PREEMPT AND ABORT", true),
                out(PrOutHandler.REGISTER_AND_IGNORE_EXISTING_KEY,
                        "PERSISTENT RESERVE OUT REGISTER AND IGNORE EXISTING KEY", false),
                out(PrOutHandler.REGISTER_AND_MOVE, "PERSISTENT RESERVE OUT REGISTER AND MOVE", false));
    }

    private static CommandSpec out(int sa, String name, boolean scopeAndType) {
        int st = scopeAndType ? 0xFF : 0;
        return new CommandSpec(PERSISTENT_RESERVE_OUT, sa, name, usage(PERSISTENT_RESERVE_OUT, sa, st, 0, 0,
                0xFF, 0xFF, 0xFF, 0xFF, 0x04), FLAGS, TIMEOUT, new PrOutHandler(sa)::execute);
    }

    private static CommandSpec in(int sa, String name, CommandHandler h) {
        return new CommandSpec(PERSISTENT_RESERVE_IN, sa, name, usage(PERSISTENT_RESERVE_IN, sa, 0, 0, 0, 0, 0,
                0xFF, 0xFF, 0x04), FLAGS, TIMEOUT, h);
    }
}
