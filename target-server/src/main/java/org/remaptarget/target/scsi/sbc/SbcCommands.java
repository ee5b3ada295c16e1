package org.remaptarget.target.scsi.sbc;

import static org.remaptarget.target.scsi.CommandSpec.CONFLICTS;
import static org.remaptarget.target.scsi.CommandSpec.MEDIUM;
import static org.remaptarget.target.scsi.CommandSpec.SA_IS_FIELD;
import static org.remaptarget.target.scsi.CommandSpec.WRITES;
import static org.remaptarget.target.scsi.CommandSpec.usage;

import java.util.List;
import org.remaptarget.target.lun.LogicalUnit;
import org.remaptarget.target.scsi.CommandSpec;

/**
 * The SBC-3 block commands this target implements, with CDB usage data and screening flags. UNMAP answers INVALID
 * OPERATION CODE on a fully provisioned LU.
 */
public final class SbcCommands {
    private static final int META = CONFLICTS | MEDIUM;
    private static final int READS = CONFLICTS | MEDIUM;
    private static final int WRITE = CONFLICTS | MEDIUM | WRITES;
    private static final int SYNC = CONFLICTS | MEDIUM;
    private static final int IO_TIMEOUT = 30;

    private SbcCommands() {
    }

    public static List<CommandSpec> specs() {
        return List.of(
                spec(0x07, "REASSIGN BLOCKS", usage(0x07, 0x03, 0, 0, 0, 0x04), WRITE, new ReassignBlocksHandler()),
                spec(0x08, "READ(6)", usage(0x08, 0x1F, 0xFF, 0xFF, 0xFF, 0x04), READS, new ReadWriteHandler(6, false)),
                spec(0x0A, "WRITE(6)", usage(0x0A, 0x1F, 0xFF, 0xFF, 0xFF, 0x04), WRITE, new ReadWriteHandler(6, true)),
                spec(0x1B, "START STOP UNIT", usage(0x1B, 0x01, 0, 0, 0xF7, 0x04), CONFLICTS,
                        new StartStopHandler()),
                spec(0x25, "READ CAPACITY(10)", usage(0x25, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0x01, 0x04), META,
                        CapacityHandlers::readCapacity10),
                spec(0x28, "READ(10)", rw10(0x28, 0x18), READS, new ReadWriteHandler(10, false)),
                spec(0x2A, "WRITE(10)", rw10(0x2A, 0x18), WRITE, new ReadWriteHandler(10, true)),
                spec(0x2E, "WRITE AND VERIFY(10)", rw10(0x2E, 0x12), WRITE, new VerifyHandler(10, true)),
                spec(0x2F, "VERIFY(10)", rw10(0x2F, 0x16), READS, new VerifyHandler(10, false)),
                spec(0x34, "PRE-FETCH(10)", rw10(0x34, 0x02), READS, CacheHandlers::preFetch10),
                spec(0x35, "SYNCHRONIZE CACHE(10)", rw10(0x35, 0x02), SYNC, CacheHandlers::synchronizeCache10),
                spec(0x37, "READ DEFECT DATA(10)", usage(0x37, 0, 0x1F, 0, 0, 0, 0, 0xFF, 0xFF, 0x04), CONFLICTS,
                        new DefectDataHandler(false)),
                spec(0x41, "WRITE SAME(10)", rw10(0x41, 0x08), WRITE, new WriteSameHandler(10)),
                spec(0x42, "UNMAP", usage(0x42, 0x01, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0x04), WRITE,
                        ProvisioningHandlers::unmap),
                sanitize(SanitizeHandler.OVERWRITE, "SANITIZE OVERWRITE"),
                sanitize(SanitizeHandler.BLOCK_ERASE, "SANITIZE BLOCK ERASE"),
                sanitize(SanitizeHandler.CRYPTO_ERASE, "SANITIZE CRYPTO ERASE"),
                sanitize(SanitizeHandler.EXIT_FAILURE_MODE, "SANITIZE EXIT FAILURE MODE"),
                new CommandSpec(0x83, 0x00, "EXTENDED COPY(LID1)", usage(0x83, 0x1F, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF,
                        0xFF, 0xFF, 0xFF, 0, 0x04), WRITE | SA_IS_FIELD, IO_TIMEOUT,
                        ExtendedCopyHandlers::extendedCopy),
                new CommandSpec(0x84, 0x00, "RECEIVE COPY RESULTS(COPY STATUS)", usage(0x84, 0x1F, 0xFF, 0, 0, 0, 0,
                        0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0x04), CONFLICTS | SA_IS_FIELD, IO_TIMEOUT,
                        ExtendedCopyHandlers::receiveCopyResults),
                new CommandSpec(0x84, 0x03, "RECEIVE COPY RESULTS(OPERATING PARAMETERS)", usage(0x84, 0x1F, 0, 0, 0,
                        0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0x04), CONFLICTS | SA_IS_FIELD, IO_TIMEOUT,
                        ExtendedCopyHandlers::receiveCopyResults),
                spec(0x88, "READ(16)", rw16(0x88, 0x18), READS, new ReadWriteHandler(16, false)),
                spec(0x89, "COMPARE AND WRITE", usage(0x89, 0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                        0, 0, 0, 0xFF, 0, 0x04), WRITE, ReadModifyWriteHandlers::compareAndWrite),
                spec(0x8A, "WRITE(16)", rw16(0x8A, 0x18), WRITE, new ReadWriteHandler(16, true)),
                spec(0x8B, "ORWRITE(16)", rw16(0x8B, 0x18), WRITE, ReadModifyWriteHandlers::orWrite16),
                spec(0x8E, "WRITE AND VERIFY(16)", rw16(0x8E, 0x12), WRITE, new VerifyHandler(16, true)),
                spec(0x8F, "VERIFY(16)", rw16(0x8F, 0x16), READS, new VerifyHandler(16, false)),
                spec(0x90, "PRE-FETCH(16)", rw16(0x90, 0x02), READS, CacheHandlers::preFetch16),
                spec(0x91, "SYNCHRONIZE CACHE(16)", rw16(0x91, 0x02), SYNC, CacheHandlers::synchronizeCache16),
                spec(0x93, "WRITE SAME(16)", rw16(0x93, 0x09), WRITE, new WriteSameHandler(16)),
                spec(0x9C, "WRITE ATOMIC(16)", usage(0x9C, 0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                        0xFF, 0xFF, 0xFF, 0xFF, 0, 0x04), WRITE, WriteAtomicHandler::writeAtomic16),
                new CommandSpec(0x9E, 0x12, "GET LBA STATUS", usage(0x9E, 0x12, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0x04), META, IO_TIMEOUT,
                        ProvisioningHandlers::getLbaStatus),
                new CommandSpec(0x9E, 0x10, "READ CAPACITY(16)", usage(0x9E, 0x10, 0, 0, 0, 0, 0, 0, 0, 0,
                        0xFF, 0xFF, 0xFF, 0xFF, 0, 0x04), META, IO_TIMEOUT, CapacityHandlers::readCapacity16),
                spec(0xA8, "READ(12)", rw12(0xA8, 0x18), READS, new ReadWriteHandler(12, false)),
                spec(0xAA, "WRITE(12)", rw12(0xAA, 0x18), WRITE, new ReadWriteHandler(12, true)),
                spec(0xAE, "WRITE AND VERIFY(12)", rw12(0xAE, 0x12), WRITE, new VerifyHandler(12, true)),
                spec(0xAF, "VERIFY(12)", rw12(0xAF, 0x16), READS, new VerifyHandler(12, false)),
                spec(0xB7, "READ DEFECT DATA(12)", usage(0xB7, 0x1F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                        0, 0x04), CONFLICTS, new DefectDataHandler(true)));
    }

    private static CommandSpec spec(int op, String name, byte[] usage, int flags,
                                    org.remaptarget.target.scsi.CommandHandler h) {
        return new CommandSpec(op, -1, name, usage, flags, IO_TIMEOUT, h);
    }

    /**
     * Runs again, from the start, a SANITIZE that a restart interrupted on {@code lu} (its sanitize state came up
     * IN_PROGRESS over a record of the operation); does nothing otherwise. Call once when the LU is opened.
     */
    public static void resumeInterruptedSanitize(LogicalUnit lu) {
        SanitizeHandler.resumeInterrupted(lu);
    }

    private static CommandSpec sanitize(int sa, String name) {
        return new CommandSpec(0x48, sa, name, usage(0x48, 0xA0 | sa, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0x04),
                WRITE | SA_IS_FIELD, 3600, SanitizeHandler::sanitize);
    }

    private static byte[] rw10(int op, int b1) {
        return usage(op, b1, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0xFF, 0xFF, 0x04);
    }

    private static byte[] rw12(int op, int b1) {
        return usage(op, b1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0x04);
    }

    private static byte[] rw16(int op, int b1) {
        return usage(op, b1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0x04);
    }
}
