package org.remaptarget.target.scsi.spc;

import static org.remaptarget.target.scsi.CommandSpec.ANY_LUN;
import static org.remaptarget.target.scsi.CommandSpec.CONFLICTS;
import static org.remaptarget.target.scsi.CommandSpec.IE_AS_UA_ONLY;
import static org.remaptarget.target.scsi.CommandSpec.MEDIUM;
import static org.remaptarget.target.scsi.CommandSpec.NO_IE;
import static org.remaptarget.target.scsi.CommandSpec.SKIP_UA;
import static org.remaptarget.target.scsi.CommandSpec.usage;

import java.util.List;
import org.remaptarget.target.scsi.CommandSpec;

/**
 * The SPC-4 primary commands this target implements, with their CDB usage data (the bits each handler examines)
 * and screening flags. The core builds its command table from this list and {@code SbcCommands}.
 */
public final class SpcCommands {
    private SpcCommands() {
    }

    public static List<CommandSpec> specs() {
        return List.of(
                new CommandSpec(0x00, -1, "TEST UNIT READY", usage(0x00, 0, 0, 0, 0, 0x04),
                        CONFLICTS | MEDIUM | IE_AS_UA_ONLY, 5, UnitStateHandlers::testUnitReady),
                new CommandSpec(0x03, -1, "REQUEST SENSE", usage(0x03, 0x01, 0, 0, 0xFF, 0x04),
                        ANY_LUN | SKIP_UA | NO_IE, 5, new RequestSenseHandler()),
                new CommandSpec(0x12, -1, "INQUIRY", usage(0x12, 0x01, 0xFF, 0xFF, 0xFF, 0x04),
                        ANY_LUN | SKIP_UA | NO_IE, 5, new InquiryHandler()),
                new CommandSpec(0x15, -1, "MODE SELECT(6)", usage(0x15, 0x11, 0, 0, 0xFF, 0x04),
                        CONFLICTS | NO_IE, 5, new ModeSelectHandler(false)),
                new CommandSpec(0x16, -1, "RESERVE(6)", usage(0x16, 0, 0, 0, 0, 0x04),
                        CONFLICTS, 5, new ReservationHandler(true, false)),
                new CommandSpec(0x17, -1, "RELEASE(6)", usage(0x17, 0, 0, 0, 0, 0x04),
                        0, 5, new ReservationHandler(false, false)),
                new CommandSpec(0x1A, -1, "MODE SENSE(6)", usage(0x1A, 0x08, 0xFF, 0xFF, 0xFF, 0x04),
                        CONFLICTS, 5, new ModeSenseHandler(false)),
                new CommandSpec(0x1E, -1, "PREVENT ALLOW MEDIUM REMOVAL", usage(0x1E, 0, 0, 0, 0x03, 0x04),
                        CONFLICTS, 5, UnitStateHandlers::preventAllow),
                new CommandSpec(0x4C, -1, "LOG SELECT", usage(0x4C, 0x03, 0xFF, 0xFF, 0, 0, 0, 0xFF, 0xFF, 0x04),
                        CONFLICTS, 5, new LogSelectHandler()),
                new CommandSpec(0x4D, -1, "LOG SENSE", usage(0x4D, 0x03, 0xFF, 0xFF, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x04),
                        0, 5, new LogSenseHandler()),
                new CommandSpec(0x55, -1, "MODE SELECT(10)",
                        usage(0x55, 0x11, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0x04),
                        CONFLICTS | NO_IE, 5, new ModeSelectHandler(true)),
                new CommandSpec(0x56, -1, "RESERVE(10)", usage(0x56, 0, 0, 0, 0, 0, 0, 0, 0, 0x04),
                        CONFLICTS, 5, new ReservationHandler(true, true)),
                new CommandSpec(0x57, -1, "RELEASE(10)", usage(0x57, 0, 0, 0, 0, 0, 0, 0, 0, 0x04),
                        0, 5, new ReservationHandler(false, true)),
                new CommandSpec(0x5A, -1, "MODE SENSE(10)",
                        usage(0x5A, 0x18, 0xFF, 0xFF, 0, 0, 0, 0xFF, 0xFF, 0x04),
                        CONFLICTS, 5, new ModeSenseHandler(true)),
                new CommandSpec(0xA0, -1, "REPORT LUNS",
                        usage(0xA0, 0, 0xFF, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0x04),
                        ANY_LUN | SKIP_UA | NO_IE, 5, new ReportLunsHandler()),
                new CommandSpec(0xA3, 0x0C, "REPORT SUPPORTED OPERATION CODES",
                        usage(0xA3, 0x0C, 0x87, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0x04),
                        CONFLICTS, 5, new ReportOpcodesHandler()));
    }
}
