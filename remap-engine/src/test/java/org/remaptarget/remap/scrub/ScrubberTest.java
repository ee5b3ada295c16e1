package org.remaptarget.remap.scrub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.remaptarget.remap.device.ManualTimeSource;
import org.remaptarget.remap.device.TimeSource;
import org.remaptarget.remap.engine.FormatOptions;
import org.remaptarget.remap.engine.RemapVolume;
import org.remaptarget.remap.engine.Volumes;
import org.remaptarget.remap.fault.FaultOp;
import org.remaptarget.remap.fault.FaultOutcome;
import org.remaptarget.remap.fault.FaultRule;

class ScrubberTest {
    private final ManualTimeSource clock = new ManualTimeSource();

    private RemapVolume volume() throws IOException {
        return RemapVolume.open(Volumes.formatted(FormatOptions.of(512, 1000, 24)), Volumes.opts().withTime(clock));
    }

    @Test
    void scrubMarksUnreadableDataBlocksPending() throws Exception {
        RemapVolume v = volume();
        v.faults().addRule(FaultRule.of(FaultOp.READ, v.backingLbaOfData(123), 1, new FaultOutcome.MediumError()));
        v.faults().addRule(FaultRule.of(FaultOp.READ, v.backingLbaOfData(777), 1, new FaultOutcome.IoError()));
        ScrubProgress p = new Scrubber(v.maintenance(), clock, 100_000, 64).run();
        assertEquals(ScrubProgress.State.DONE, p.state());
        assertEquals(2, p.errorsFound());
        assertEquals(1024, p.blocksDone());
        assertEquals(List.of(123L, 777L), v.pending());
    }

    @Test
    void scrubRetiresABadFreeSpareBeforeItIsUsed() throws Exception {
        RemapVolume v = volume();
        v.faults().addRule(FaultRule.of(FaultOp.READ, v.deviceLbaOfSpare(0), 1, new FaultOutcome.IoError()));
        assertEquals(1, new Scrubber(v.maintenance(), clock, 100_000, 64).run().errorsFound());
        assertEquals(1, v.stats().sparesRetired());
        v.faults().addRule(FaultRule.of(FaultOp.WRITE, v.backingLbaOfData(5), 1, new FaultOutcome.IoError()));
        v.device().write(5, Volumes.pattern(1, 5), false);
        assertEquals(1, v.remaps().get(0).spare());
    }

    @Test
    void scrubKeepsToItsRateOnTheInjectedClock() throws Exception {
        RemapVolume v = volume();
        new Scrubber(v.maintenance(), clock, 512, 64).run();
        // 1024 blocks at 512 blocks/s take two seconds of (manual) time
        assertEquals(2_000_000_000L, clock.nanoTime(), 1_000_000_000L / 512 * 64);
        assertTrue(clock.nanoTime() >= 1_800_000_000L);
    }

    @Test
    void stopRequestedDuringTheScrubEndsItAfterTheCurrentBatch() throws Exception {
        RemapVolume v = volume();
        Scrubber[] holder = new Scrubber[1];
        // the scrub's first pause asks it to stop: deterministic, no wall clock
        TimeSource stopper = new TimeSource() {
            @Override
            public long nanoTime() {
                return clock.nanoTime();
            }

            @Override
            public void sleepNanos(long nanos) {
                clock.advance(nanos);
                holder[0].stop();
            }
        };
        holder[0] = new Scrubber(v.maintenance(), stopper, 1000, 10);
        ScrubProgress p = holder[0].run();
        assertEquals(ScrubProgress.State.STOPPED, p.state());
        assertEquals(10, p.blocksDone());
        assertEquals(1024, p.blocksTotal());
    }

    @Test
    void scrubRunsOnTheGivenExecutorAndReportsProgress() throws Exception {
        RemapVolume v = volume();
        Scrubber s = new Scrubber(v.maintenance(), clock, 1_000_000, 128);
        java.util.concurrent.ExecutorService ex = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            s.start(ex);
        } finally {
            ex.shutdown();
            assertTrue(ex.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS));
        }
        assertEquals(ScrubProgress.State.DONE, s.progress().state());
        assertEquals(100, s.progress().percent());
    }
}
