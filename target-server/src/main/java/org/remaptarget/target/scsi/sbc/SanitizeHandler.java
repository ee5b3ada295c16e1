package org.remaptarget.target.scsi.sbc;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.remaptarget.target.lun.LogicalUnit;
import org.remaptarget.target.lun.RangeLocks;
import org.remaptarget.target.lun.SanitizeOperation;
import org.remaptarget.target.lun.SanitizeState;
import org.remaptarget.target.scsi.Command;
import org.remaptarget.target.scsi.ScsiFailure;
import org.remaptarget.target.scsi.ScsiResult;
import org.remaptarget.target.scsi.SenseReason;

/**
 * SANITIZE (SBC-3 §5.27) over a file-backed LU: OVERWRITE writes the initialization pattern (inverted between
 * passes when INVERT is set) over every block the given number of times; BLOCK ERASE deallocates every block
 * (punched holes on a thin LU, zeros on a thick one) so it reads as zeros; CRYPTO ERASE has no media encryption key
 * to change on a file, so it does the same as BLOCK ERASE (the data becomes unrecoverable and reads as zeros);
 * EXIT FAILURE MODE leaves the failed state a failed sanitize left. Each erase goes through the remap engine, which
 * reaches the spare of every remapped block as well.
 *
 * <p>While the operation runs, the core answers every command but INQUIRY, REPORT LUNS, REQUEST SENSE and LOG SENSE
 * with NOT READY 04/1B (also across resets and new sessions); a failed operation leaves medium access failing with
 * MEDIUM ERROR 31/03. The operation runs on its own thread: with IMMED the command returns GOOD once its fields are
 * checked; without, it completes when the operation does, or at once when aborted (the operation goes on). Checks in order: reserved CDB bits and bytes (24/00), parameter list length for the service action
 * (24/00), parameter list contents (26/00), write protection (27/xx), a sanitize already running (04/1B).
 * Holds every range lock of the LU while it writes. Stateless (the state lives in {@link SanitizeState}).
 */
final class SanitizeHandler {
    private static final Logger LOG = LogManager.getLogger(SanitizeHandler.class);

    static final int OVERWRITE = SanitizeOperation.OVERWRITE;
    static final int BLOCK_ERASE = SanitizeOperation.BLOCK_ERASE;
    static final int CRYPTO_ERASE = SanitizeOperation.CRYPTO_ERASE;
    static final int EXIT_FAILURE_MODE = 0x1F;

    /** How often a command waiting for its sanitize operation checks whether it was aborted. */
    private static final long WAIT_SLICE_MS = 50;

    /** Blocks written per step of an overwrite pass (the progress indication moves in these steps). */
    private static final long STEP_BLOCKS = 1 << 14;

    private SanitizeHandler() {
    }

    static ScsiResult sanitize(Command c) throws ScsiFailure {
        LogicalUnit lu = c.lu();
        int sa = c.u8(1) & 0x1F;
        boolean immed = c.bit(1, 7);
        int len = c.u16(7);
        c.setTransferLength(len);
        if (c.bit(1, 6)) {
            throw ScsiFailure.cdb(1, 6);
        }
        for (int i = 2; i <= 6; i++) {
            if (c.u8(i) != 0) {
                throw ScsiFailure.cdb(i);
            }
        }
        byte[] pattern = null;
        int passes = 1;
        boolean invert = false;
        if (sa == OVERWRITE) {
            int bs = lu.blockSize();
            if (len < 5 || len > bs + 4) {
                throw ScsiFailure.cdb(7);
            }
            byte[] d = c.parameterList(len);
            passes = d[0] & 0x1F;
            invert = (d[0] & 0x80) != 0;
            int ipl = ProvisioningHandlers.u16(d, 2);
            if (passes == 0) {
                throw ScsiFailure.param(0, 4);
            }
            if ((d[0] & 0x60) != 0) { // TEST: vendor specific, not supported
                throw ScsiFailure.param(0, 6);
            }
            if (ipl == 0 || ipl > bs || ipl != len - 4) {
                throw ScsiFailure.param(2);
            }
            pattern = new byte[bs];
            for (int i = 0; i < bs; i++) {
                pattern[i] = d[4 + i % ipl];
            }
        } else if (len != 0) {
            throw ScsiFailure.cdb(7);
        }
        c.requireWritable();
        SanitizeState state = lu.sanitize();
        SanitizeOperation op;
        try {
            if (sa == EXIT_FAILURE_MODE) {
                if (state.inProgress()) {
                    throw ScsiFailure.of(SenseReason.NOT_READY_SANITIZE_IN_PROGRESS);
                }
                state.exitFailureMode();
                return ScsiResult.good();
            }
            op = sa == OVERWRITE ? new SanitizeOperation(sa, pattern, passes, invert)
                    : SanitizeOperation.erase(sa);
            if (!state.begin(op)) {
                throw ScsiFailure.of(SenseReason.NOT_READY_SANITIZE_IN_PROGRESS);
            }
        } catch (IOException e) {
            // the operation could not be recorded, so it must not start (a restart could not finish it)
            LOG.error("{}: SANITIZE refused: its record could not be written: {}", lu, e.getMessage());
            throw ScsiFailure.of(SenseReason.INTERNAL_TARGET_FAILURE);
        }
        CountDownLatch finished = start(lu, op);
        if (immed) {
            return ScsiResult.good();
        }
        // Without IMMED the command completes with the operation; an abort (ABORT TASK, resets, nexus loss) ends
        // the command at once while the operation itself runs on to its end, as SBC-3 §4.11 requires.
        try {
            while (!finished.await(WAIT_SLICE_MS, TimeUnit.MILLISECONDS)) {
                if (c.task().isAborted()) {
                    return ScsiResult.abortedTask();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ScsiResult.abortedTask();
        }
        if (state.failed()) {
            throw ScsiFailure.of(SenseReason.SANITIZE_COMMAND_FAILED);
        }
        return ScsiResult.goodTransferred(len);
    }

    /**
     * Runs again, from the start, a sanitize operation that a restart interrupted (the LU came up IN_PROGRESS
     * over its record); does nothing when there is none. Called once when a logical unit is opened.
     */
    static void resumeInterrupted(LogicalUnit lu) {
        lu.sanitize().interrupted().ifPresent(op -> {
            LOG.warn("{}: resuming the SANITIZE ({}) a restart interrupted", lu, op.describe());
            start(lu, op);
        });
    }

    /** Starts the operation's own thread; the latch opens when it has ended (the state already says how). */
    private static CountDownLatch start(LogicalUnit lu, SanitizeOperation op) {
        CountDownLatch finished = new CountDownLatch(1);
        Thread worker = new Thread(() -> {
            try {
                run(lu, op);
            } finally {
                finished.countDown();
            }
        }, "sanitize-lun" + lu.lun());
        worker.setDaemon(true);
        worker.start();
        return finished;
    }

    /** The erase itself; ends the sanitize state as it finishes, successfully or not. Never throws. */
    private static void run(LogicalUnit lu, SanitizeOperation op) {
        boolean ok = false;
        long cap = lu.blockCount();
        try (RangeLocks.Held h = lu.rangeLocks().lock(0, cap)) {
            if (op.serviceAction() == OVERWRITE) {
                overwrite(lu, op.pattern(), op.passes(), op.invert());
            } else {
                lu.backend().writeZeros(0, cap);
            }
            if (!lu.sanitize().closing()) {
                lu.backend().flush();
                ok = true;
                LOG.info("{}: SANITIZE {} done", lu, op.describe());
            }
        } catch (ScsiFailure f) {
            LOG.warn("{}: SANITIZE failed: {}", lu, f.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("{}: SANITIZE failed", lu, e);
        } finally {
            lu.sanitize().end(ok);
        }
    }

    /** Writes every pass; returns early (the operation unfinished) when the LU closes. */
    private static void overwrite(LogicalUnit lu, byte[] pattern, int passes, boolean invert) throws ScsiFailure {
        long cap = lu.blockCount();
        long total = cap * passes;
        byte[] inverted = pattern.clone();
        for (int i = 0; i < inverted.length; i++) {
            inverted[i] = (byte) ~inverted[i];
        }
        for (int pass = 0; pass < passes; pass++) {
            // SBC-3: with INVERT the pattern is inverted between passes, and the last pass writes it as given
            boolean inv = invert && ((passes - 1 - pass) % 2 == 1);
            byte[] p = inv ? inverted : pattern;
            for (long at = 0; at < cap; at += STEP_BLOCKS) {
                if (lu.sanitize().closing()) {
                    return;
                }
                long n = Math.min(STEP_BLOCKS, cap - at);
                lu.backend().writeSame(at, n, p, 0, false);
                lu.sanitize().setProgress((long) pass * cap + at + n, total);
            }
        }
    }
}
