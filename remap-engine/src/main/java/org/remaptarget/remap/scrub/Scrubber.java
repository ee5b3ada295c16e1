package org.remaptarget.remap.scrub;

import java.io.IOException;
import java.util.concurrent.Executor;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.remaptarget.remap.device.TimeSource;
import org.remaptarget.remap.engine.VolumeMaintenance;

/**
 * A rate-limited patrol read of a volume's data area and spare area: unreadable data blocks are marked pending
 * (the next write moves them), bad free spares are retired before anyone relies on them, and a bad spare in use
 * marks its LBA pending.
 *
 * <p>Owns its progress counters (volatile, written by the scrubbing thread only) and a stop flag. The pace is
 * {@code blocksPerSecond} measured on the injected {@link TimeSource}; the scrub runs on the caller's thread
 * ({@link #run()}) or on an executor the caller supplies ({@link #start(Executor)}). One run per instance.
 */
public final class Scrubber {
    private static final Logger LOG = LogManager.getLogger(Scrubber.class);

    private final VolumeMaintenance volume;
    private final TimeSource time;
    private final long blocksPerSecond;
    private final int batchBlocks;
    private final long total;
    private volatile long done;
    private volatile long errors;
    private volatile ScrubProgress.State state = ScrubProgress.State.IDLE;
    private volatile boolean stopRequested;

    /**
     * @param blocksPerSecond patrol rate (at least 1)
     * @param batchBlocks     blocks read per request in the data area
     */
    public Scrubber(VolumeMaintenance volume, TimeSource time, long blocksPerSecond, int batchBlocks) {
        if (blocksPerSecond < 1 || batchBlocks < 1) {
            throw new IllegalArgumentException("rate and batch must be positive");
        }
        this.volume = volume;
        this.time = time;
        this.blocksPerSecond = blocksPerSecond;
        this.batchBlocks = batchBlocks;
        this.total = volume.dataBlocks() + volume.spareBlocks();
    }

    public ScrubProgress progress() {
        return new ScrubProgress(done, total, errors, state);
    }

    /** Asks a running scrub to stop after the current batch. */
    public void stop() {
        stopRequested = true;
    }

    /** Runs the scrub on {@code executor}. */
    public void start(Executor executor) {
        state = ScrubProgress.State.RUNNING;
        executor.execute(() -> {
            try {
                run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Runs the whole scrub on this thread; returns the final progress. */
    public ScrubProgress run() throws InterruptedException {
        state = ScrubProgress.State.RUNNING;
        long start = time.nanoTime();
        LOG.info("scrub of {} started: {} blocks at {} blocks/s", volume.device(), total, blocksPerSecond);
        try {
            long dataBlocks = volume.dataBlocks();
            for (long lba = 0; lba < dataBlocks && !stopRequested; ) {
                int n = (int) Math.min(batchBlocks, dataBlocks - lba);
                int bad = volume.verify(lba, n);
                if (bad > 0) {
                    errors += bad;
                    LOG.warn("scrub of {}: {} unreadable block(s) in [{}, +{})", volume.device(), bad, lba, n);
                }
                lba += n;
                done += n;
                pace(start);
            }
            for (long s = 0; s < volume.spareBlocks() && !stopRequested; s++) {
                if (!volume.verifySpare(s)) {
                    errors++;
                    LOG.warn("scrub of {}: spare {} unreadable", volume.device(), s);
                }
                done++;
                if (s % batchBlocks == batchBlocks - 1) {
                    pace(start);
                }
            }
        } catch (IOException e) {
            state = ScrubProgress.State.FAILED;
            LOG.error("scrub of {} failed at block {}: {}", volume.device(), done, e.toString());
            return progress();
        }
        state = stopRequested ? ScrubProgress.State.STOPPED : ScrubProgress.State.DONE;
        LOG.info("scrub of {} {}: {} of {} blocks, {} errors", volume.device(), state, done, total, errors);
        return progress();
    }

    private void pace(long start) throws InterruptedException {
        long due = start + (long) ((double) done * 1_000_000_000L / blocksPerSecond);
        long wait = due - time.nanoTime();
        if (wait > 0) {
            time.sleepNanos(wait);
        }
    }
}
