package org.remaptarget.target.lun;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The sanitize state of one logical unit (SBC-3 §4.11): idle, in progress (with a progress indication for the
 * sense-key specific field), or failed (the medium is unusable until a successful SANITIZE or EXIT FAILURE MODE).
 * Survives resets and nexus loss: a sanitize operation, once started, runs to its end.
 *
 * <p>With an {@link ImageStore} it also survives a restart: {@link #begin} records the operation durably before any
 * block is erased, its successful end records IDLE, a failure records FAILED. A logical unit opened over a record
 * of a running operation comes up IN_PROGRESS and {@link #interrupted()} hands the operation back so that it runs
 * again from the start (a power loss in the middle resumes the sanitize, SBC-3 §4.11.1; no command reads the
 * half-erased medium meanwhile); over a FAILED record it comes up FAILED; over an unreadable record it comes up
 * FAILED as well (the medium may be half erased), and says so in the log with the store's name.
 *
 * <p>Thread-safe: every transition holds this object's monitor (transitions are rare); {@link #phase()} and
 * {@link #progress()} read volatile/atomic fields without it.
 */
public final class SanitizeState {
    private static final Logger LOG = LogManager.getLogger(SanitizeState.class);

    /** Where the LU is in its sanitize life cycle. */
    public enum Phase { IDLE, IN_PROGRESS, FAILED }

    private final ImageStore store;
    private final String name;
    private final AtomicInteger progress = new AtomicInteger();
    private volatile Phase phase = Phase.IDLE;
    private volatile boolean closing;
    private long sequence;
    private SanitizeOperation interrupted;

    /** A state that lives in memory only (nothing survives a restart). */
    public SanitizeState() {
        this.store = null;
        this.name = "memory";
    }

    /**
     * A state recorded in {@code store}; loads the last record now.
     *
     * @param name names the store in log messages (e.g. its file)
     */
    public SanitizeState(ImageStore store, String name) {
        this.store = store;
        this.name = name;
        try {
            byte[] image = store.load();
            if (image == null) {
                return;
            }
            SanitizeRecord r = SanitizeRecord.decode(image);
            sequence = r.sequence();
            phase = r.phase();
            if (r.phase() == Phase.IN_PROGRESS) {
                interrupted = r.operation();
                LOG.warn("{}: a SANITIZE ({}) was interrupted by a restart; it runs again from the start", name,
                        r.operation().describe());
            } else if (r.phase() == Phase.FAILED) {
                LOG.warn("{}: the last SANITIZE failed; medium access fails until a SANITIZE succeeds", name);
            }
        } catch (IOException | IllegalArgumentException e) {
            phase = Phase.FAILED;
            LOG.error("{}: unreadable sanitize record ({}); the medium may be partly sanitized, so medium access "
                    + "fails until a SANITIZE succeeds or EXIT FAILURE MODE", name, e.getMessage());
        }
    }

    public Phase phase() {
        return phase;
    }

    public boolean inProgress() {
        return phase == Phase.IN_PROGRESS;
    }

    public boolean failed() {
        return phase == Phase.FAILED;
    }

    /**
     * The operation a restart interrupted, to run again now; empty when there is none or it was handed out
     * already.
     */
    public synchronized Optional<SanitizeOperation> interrupted() {
        SanitizeOperation op = interrupted;
        interrupted = null;
        return Optional.ofNullable(op);
    }

    /**
     * Enters IN_PROGRESS from IDLE or FAILED and records {@code op} durably; false when a sanitize is already
     * running.
     *
     * @throws IOException the record could not be written: nothing changed, and nothing may be erased
     */
    public synchronized boolean begin(SanitizeOperation op) throws IOException {
        if (phase == Phase.IN_PROGRESS) {
            return false;
        }
        record(Phase.IN_PROGRESS, op);
        progress.set(0);
        phase = Phase.IN_PROGRESS;
        return true;
    }

    /**
     * Ends the running sanitize: IDLE when it succeeded, FAILED when not. While the logical unit closes, the
     * record is left as it is, so the operation runs again at the next start.
     */
    public synchronized void end(boolean ok) {
        progress.set(65535);
        Phase next = ok ? Phase.IDLE : Phase.FAILED;
        if (!closing) {
            try {
                record(next, null);
            } catch (IOException e) {
                LOG.error("{}: could not record the end of SANITIZE ({}); it runs again at the next start", name,
                        e.getMessage());
            }
        }
        phase = next;
        notifyAll();
    }

    /** EXIT FAILURE MODE: leaves FAILED for IDLE; false unless the LU was in FAILED. */
    public synchronized boolean exitFailureMode() throws IOException {
        if (phase != Phase.FAILED) {
            return false;
        }
        record(Phase.IDLE, null);
        phase = Phase.IDLE;
        return true;
    }

    /**
     * The logical unit is closing: a running operation should stop at its next step, and its end leaves the
     * record as it is. Waits up to {@code timeoutMs} for it to end; true when nothing is running any more.
     */
    public synchronized boolean close(long timeoutMs) throws InterruptedException {
        closing = true;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (phase == Phase.IN_PROGRESS && interrupted == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** True once {@link #close} was called: a running operation stops at its next step. */
    public boolean closing() {
        return closing;
    }

    /** Progress as a fraction of 65536 (the PROGRESS INDICATION field). */
    public int progress() {
        return progress.get();
    }

    public void setProgress(long done, long total) {
        progress.set(total <= 0 ? 0 : (int) Math.min(65535, done * 65536 / total));
    }

    private void record(Phase p, SanitizeOperation op) throws IOException {
        if (store == null) {
            return;
        }
        store.save(new SanitizeRecord(sequence + 1, p, op).encode());
        sequence++;
    }
}
