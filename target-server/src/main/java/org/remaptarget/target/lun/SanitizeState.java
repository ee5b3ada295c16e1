package org.remaptarget.target.lun;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The sanitize state of one logical unit (SBC-3 §4.11): idle, in progress (with a progress indication for the
 * sense-key specific field), or failed (the medium is unusable until a successful SANITIZE or EXIT FAILURE MODE).
 * Survives resets and nexus loss: a sanitize operation, once started, runs to its end.
 *
 * <p>Lock-free: the phase is an atomic reference, progress an atomic integer 0..65535.
 */
public final class SanitizeState {
    /** Where the LU is in its sanitize life cycle. */
    public enum Phase { IDLE, IN_PROGRESS, FAILED }

    private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.IDLE);
    private final AtomicInteger progress = new AtomicInteger();

    public Phase phase() {
        return phase.get();
    }

    public boolean inProgress() {
        return phase.get() == Phase.IN_PROGRESS;
    }

    public boolean failed() {
        return phase.get() == Phase.FAILED;
    }

    /** Enters IN_PROGRESS from IDLE or FAILED; false when a sanitize is already running. */
    public boolean begin() {
        while (true) {
            Phase p = phase.get();
            if (p == Phase.IN_PROGRESS) {
                return false;
            }
            if (phase.compareAndSet(p, Phase.IN_PROGRESS)) {
                progress.set(0);
                return true;
            }
        }
    }

    /** Ends the running sanitize: IDLE when it succeeded, FAILED when not. */
    public void end(boolean ok) {
        progress.set(65535);
        phase.set(ok ? Phase.IDLE : Phase.FAILED);
    }

    /** EXIT FAILURE MODE: leaves FAILED for IDLE; false unless the LU was in FAILED. */
    public boolean exitFailureMode() {
        return phase.compareAndSet(Phase.FAILED, Phase.IDLE);
    }

    /** Progress as a fraction of 65536 (the PROGRESS INDICATION field). */
    public int progress() {
        return progress.get();
    }

    public void setProgress(long done, long total) {
        progress.set(total <= 0 ? 0 : (int) Math.min(65535, done * 65536 / total));
    }
}
