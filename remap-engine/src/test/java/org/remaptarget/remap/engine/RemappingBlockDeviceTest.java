package org.remaptarget.remap.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.remaptarget.remap.engine.Volumes.BS;
import static org.remaptarget.remap.engine.Volumes.opts;
import static org.remaptarget.remap.engine.Volumes.pattern;
import static org.remaptarget.remap.engine.Volumes.read;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.remaptarget.remap.device.MediumErrorException;
import org.remaptarget.remap.device.MemoryBlockDevice;
import org.remaptarget.remap.device.ReallocationFailedException;
import org.remaptarget.remap.fault.FaultOp;
import org.remaptarget.remap.fault.FaultOutcome;
import org.remaptarget.remap.fault.FaultRule;
import org.remaptarget.remap.fault.FaultTrigger;
import org.remaptarget.remap.stats.Health;
import org.remaptarget.remap.stats.VolumeListener;

class RemappingBlockDeviceTest {

    private static FaultRule failWrites(RemapVolume v, long lba) {
        return FaultRule.of(FaultOp.WRITE, v.backingLbaOfData(lba), 1, new FaultOutcome.MediumError());
    }

    private static FaultRule failReads(RemapVolume v, long lba) {
        return FaultRule.of(FaultOp.READ, v.backingLbaOfData(lba), 1, new FaultOutcome.MediumError());
    }

    @Test
    void writeToFailingBlockLandsOnSpareAndSurvivesRestart() throws Exception {
        MemoryBlockDevice dev = Volumes.formatted(FormatOptions.of(BS, 100, 8));
        RemapVolume v = RemapVolume.open(dev, opts());
        v.faults().addRule(failWrites(v, 7));
        v.device().write(7, pattern(1, 7), false);
        assertEquals(List.of(new Remap(7, 0)), v.remaps());
        assertEquals(pattern(1, 7), read(v.device(), 7, 1));
        v.close();
        RemapVolume again = RemapVolume.open(dev, opts());
        again.faults().addRule(failReads(again, 7)); // the primary is still bad: data must come from the spare
        assertEquals(List.of(new Remap(7, 0)), again.remaps());
        assertEquals(pattern(1, 7), read(again.device(), 7, 1));
        again.close();
    }

    @Test
    void remapIsDurableBeforeTheWriteReturnsEvenWithoutCleanClose() throws Exception {
        MemoryBlockDevice dev = Volumes.formatted(FormatOptions.of(BS, 100, 8));
        RemapVolume v = RemapVolume.open(dev, opts().withPowerCutModel(true));
        v.faults().addRule(failWrites(v, 3));
        v.device().write(3, pattern(1, 3), false);
        v.faults().powerCut();
        RemapVolume again = RemapVolume.open(dev, opts());
        assertEquals(List.of(new Remap(3, 0)), again.remaps());
        assertEquals(pattern(1, 3), read(again.device(), 3, 1));
    }

    @Test
    void writeThatFailsOnceIsRetriedInPlaceWithoutRemapping() throws Exception {
        RemapVolume v = Volumes.memory(100, 8);
        v.faults().addRule(new FaultRule(java.util.Set.of(FaultOp.WRITE, FaultOp.READ), v.backingLbaOfData(5), 1,
                new FaultTrigger.FailThenHealOnWrite(1), new FaultOutcome.MediumError(), 0));
        v.device().write(5, pattern(1, 5), false);
        assertTrue(v.remaps().isEmpty());
        assertEquals(pattern(1, 5), read(v.device(), 5, 1));
        assertEquals(1, v.stats().retries());
    }

    @Test
    void writeWithNoSpareLeftFailsWithReallocationFailed() throws Exception {
        RemapVolume v = Volumes.memory(100, 2);
        for (long lba = 10; lba < 13; lba++) {
            v.faults().addRule(failWrites(v, lba));
        }
        v.device().write(10, pattern(1, 1), false);
        v.device().write(11, pattern(1, 2), false);
        ReallocationFailedException e = assertThrows(ReallocationFailedException.class,
                () -> v.device().write(12, pattern(1, 3), false));
        assertEquals(12, e.lba());
        assertTrue(e.isWrite());
        assertEquals(1, v.stats().reallocationFailures());
    }

    @Test
    void writeErrorWithAutoReallocationOffIsReportedAsWriteMediumError() throws Exception {
        MemoryBlockDevice dev = Volumes.formatted(FormatOptions.of(BS, 100, 8));
        RemapVolume v = RemapVolume.open(dev, opts().withAutoReallocateOnWrite(false));
        v.faults().addRule(failWrites(v, 9));
        MediumErrorException e = assertThrows(MediumErrorException.class,
                () -> v.device().write(8, pattern(3, 1), false));
        assertEquals(9, e.lba());
        assertTrue(e.isWrite());
        assertFalse(e instanceof ReallocationFailedException);
        assertTrue(v.remaps().isEmpty());
    }

    @Test
    void readOfFailingBlockReportsExactLbaAndMarksPending() throws Exception {
        RemapVolume v = Volumes.memory(100, 8);
        v.device().write(20, pattern(8, 20), false);
        v.faults().addRule(failReads(v, 25));
        MediumErrorException e = assertThrows(MediumErrorException.class, () -> read(v.device(), 20, 8));
        assertEquals(25, e.lba());
        assertFalse(e.isWrite());
        assertEquals(List.of(25L), v.pending());
        assertEquals(1, v.stats().readErrors());
    }

    @Test
    void readIsRetriedTheConfiguredNumberOfTimesBeforeFailing() throws Exception {
        MemoryBlockDevice dev = Volumes.formatted(FormatOptions.of(BS, 100, 8));
        RemapVolume v = RemapVolume.open(dev, opts().withReadRetries(3));
        v.device().write(4, pattern(1, 4), false);
        long id = v.faults().addRule(failReads(v, 4).withMaxFirings(3));
        assertEquals(pattern(1, 4), read(v.device(), 4, 1));
        assertEquals(3, v.faults().firings(id));
        assertTrue(v.pending().isEmpty());
        long id2 = v.faults().addRule(failReads(v, 4).withMaxFirings(4));
        assertThrows(MediumErrorException.class, () -> read(v.device(), 4, 1));
        assertEquals(4, v.faults().firings(id2));
    }

    @Test
    void multiBlockWriteRemapsOnlyTheFailingBlock() throws Exception {
        RemapVolume v = Volumes.memory(100, 8);
        v.faults().addRule(failWrites(v, 33));
        v.device().write(30, pattern(8, 30), false);
        assertEquals(List.of(new Remap(33, 0)), v.remaps());
        assertEquals(pattern(8, 30), read(v.device(), 30, 8));
    }

    @Test
    void writeCoveringPendingBlockRemapsIt() throws Exception {
        RemapVolume v = Volumes.memory(100, 8);
        v.faults().addRule(failReads(v, 50));
        assertThrows(MediumErrorException.class, () -> read(v.device(), 50, 1));
        assertEquals(List.of(50L), v.pending());
        v.device().write(49, pattern(3, 49), false);
        assertEquals(List.of(new Remap(50, 0)), v.remaps());
        assertTrue(v.pending().isEmpty());
        assertEquals(pattern(3, 49), read(v.device(), 49, 3));
    }

    @Test
    void requestsStraddlingRemappedBlocksReadAndWriteBothPlaces() throws Exception {
        RemapVolume v = Volumes.memory(100, 8);
        v.faults().addRule(failWrites(v, 41));
        v.faults().addRule(failWrites(v, 43));
        v.device().write(40, pattern(6, 1), false);
        assertEquals(2, v.remaps().size());
        v.faults().addRule(failReads(v, 41));
        v.faults().addRule(failReads(v, 43));
        assertEquals(pattern(6, 1), read(v.device(), 40, 6));
        v.device().write(39, pattern(7, 2), false);
        assertEquals(pattern(7, 2), read(v.device(), 39, 7));
    }

    @Test
    void failingSpareIsRemappedAgainAndRetired() throws Exception {
        RemapVolume v = Volumes.memory(100, 8);
        v.faults().addRule(failWrites(v, 12));
        v.device().write(12, pattern(1, 1), false);
        long spare = v.remaps().get(0).spare();
        v.faults().addRule(FaultRule.of(FaultOp.WRITE, v.deviceLbaOfSpare(spare), 1,
                new FaultOutcome.MediumError()));
        v.device().write(12, pattern(1, 2), false);
        long moved = v.remaps().get(0).spare();
        assertTrue(moved != spare);
        assertEquals(1, v.stats().sparesRetired());
        assertEquals(pattern(1, 2), read(v.device(), 12, 1));
    }

    @Test
    void spareThatFailsWhileBeingFilledIsRetiredAndAnotherUsed() throws Exception {
        RemapVolume v = Volumes.memory(100, 8);
        v.faults().addRule(FaultRule.of(FaultOp.WRITE, v.deviceLbaOfSpare(0), 1, new FaultOutcome.IoError()));
        v.faults().addRule(failWrites(v, 2));
        v.device().write(2, pattern(1, 2), false);
        assertEquals(List.of(new Remap(2, 1)), v.remaps());
        assertEquals(1, v.stats().sparesRetired());
    }

    @Test
    void deadSpareAreaFailsTheWriteWithoutRetiringEverySpare() throws Exception {
        RemapVolume v = Volumes.memory(100, 8);
        v.faults().addRule(FaultRule.of(FaultOp.WRITE, v.deviceLbaOfSpare(0), 8, new FaultOutcome.IoError()));
        v.faults().addRule(failWrites(v, 2));
        java.io.IOException e = assertThrows(java.io.IOException.class,
                () -> v.device().write(2, pattern(1, 2), false));
        assertFalse(e instanceof MediumErrorException);
        assertEquals(0, v.stats().sparesRetired());
        assertEquals(0, v.stats().sparesUsed());
        assertEquals(Health.OK, v.health());
    }

    @Test
    void discardReachesRemappedSpare() throws Exception {
        RemapVolume v = Volumes.memory(100, 8);
        v.faults().addRule(failWrites(v, 60));
        v.device().write(58, pattern(4, 5), false);
        v.device().discard(58, 4);
        assertEquals(ByteBuffer.allocate(4 * BS), read(v.device(), 58, 4));
        assertEquals(1, v.remaps().size());
    }

    @Test
    void remapNowCopiesReadableData() throws Exception {
        RemapVolume v = Volumes.memory(100, 8);
        v.device().write(70, pattern(1, 70), false);
        assertEquals(0, v.remapNow(70));
        v.faults().addRule(failReads(v, 70));
        assertEquals(pattern(1, 70), read(v.device(), 70, 1));
    }

    @Test
    void remapNowOfUnreadableBlockMarksPendingInsteadOfInventingData() throws Exception {
        RemapVolume v = Volumes.memory(100, 8);
        v.faults().addRule(failReads(v, 71));
        assertEquals(-1, v.remapNow(71));
        assertTrue(v.remaps().isEmpty());
        assertEquals(List.of(71L), v.pending());
        assertThrows(MediumErrorException.class, () -> read(v.device(), 71, 1));
    }

    @Test
    void clearPendingRemovesTheMarkDurably() throws Exception {
        MemoryBlockDevice dev = Volumes.formatted(FormatOptions.of(BS, 100, 8));
        RemapVolume v = RemapVolume.open(dev, opts());
        long id = v.faults().addRule(failReads(v, 80));
        assertThrows(MediumErrorException.class, () -> read(v.device(), 80, 1));
        v.faults().removeRule(id);
        assertTrue(v.clearPending(80));
        assertFalse(v.clearPending(80));
        v.close();
        assertTrue(RemapVolume.open(dev, opts()).pending().isEmpty());
    }

    @Test
    void pendingMarkSurvivesRestart() throws Exception {
        MemoryBlockDevice dev = Volumes.formatted(FormatOptions.of(BS, 100, 8));
        RemapVolume v = RemapVolume.open(dev, opts());
        v.faults().addRule(failReads(v, 81));
        assertThrows(MediumErrorException.class, () -> read(v.device(), 81, 1));
        v.close();
        assertEquals(List.of(81L), RemapVolume.open(dev, opts()).pending());
    }

    @Test
    void healthBecomesDegradedAboveThresholdAndFailedWhenSparesRunOut() throws Exception {
        MemoryBlockDevice dev = Volumes.formatted(FormatOptions.of(BS, 100, 5));
        RemapVolume v = RemapVolume.open(dev, opts().withDegradedPercent(50));
        List<String> events = new ArrayList<>();
        v.addListener(new VolumeListener() {
            @Override
            public void healthChanged(Health from, Health to) {
                events.add(from + "->" + to);
            }
        });
        for (long lba = 0; lba < 5; lba++) {
            v.faults().addRule(failWrites(v, lba));
            v.device().write(lba, pattern(1, lba), false);
            Health expect = lba < 2 ? Health.OK : lba < 4 ? Health.DEGRADED : Health.FAILED;
            assertEquals(expect, v.health(), "after " + (lba + 1) + " remaps");
        }
        assertEquals(List.of("OK->DEGRADED", "DEGRADED->FAILED"), events);
    }

    @Test
    void listenerHearsRemapsAndPendingMarks() throws Exception {
        RemapVolume v = Volumes.memory(100, 8);
        List<String> events = new ArrayList<>();
        v.addListener(new VolumeListener() {
            @Override
            public void remapped(long lba, long spare, long previousSpare, String reason) {
                events.add("remap " + lba + "->" + spare);
            }

            @Override
            public void pendingMarked(long lba) {
                events.add("pending " + lba);
            }
        });
        v.faults().addRule(failReads(v, 1));
        assertThrows(MediumErrorException.class, () -> read(v.device(), 1, 1));
        v.device().write(1, pattern(1, 1), false);
        assertEquals(List.of("pending 1", "remap 1->0"), events);
    }

    @Test
    void statsCountReadsWritesRemapsAndGenerations() throws Exception {
        RemapVolume v = Volumes.memory(100, 8);
        long gen0 = v.stats().journalGeneration();
        v.faults().addRule(failWrites(v, 3));
        v.device().write(0, pattern(4, 0), false);
        read(v.device(), 0, 4);
        var s = v.stats();
        assertEquals(1, s.writes());
        assertEquals(1, s.reads());
        assertEquals(4, s.blocksRead());
        assertEquals(1, s.remaps());
        assertEquals(1, s.sparesUsed());
        assertEquals(8, s.sparesTotal());
        assertEquals(gen0 + 1, s.journalGeneration());
    }

    @Test
    void concurrentRemapsShareJournalFlushes() throws Exception {
        RemapVolume v = Volumes.memory(1000, 200);
        for (long lba = 0; lba < 64; lba++) {
            v.faults().addRule(failWrites(v, lba));
        }
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 8; t++) {
            final int base = t * 8;
            threads.add(new Thread(() -> {
                try {
                    for (int i = 0; i < 8; i++) {
                        v.device().write(base + i, pattern(1, base + i), false);
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join(20_000);
        }
        assertTrue(errors.isEmpty(), errors.toString());
        assertEquals(64, v.remaps().size());
        for (long lba = 0; lba < 64; lba++) {
            assertEquals(pattern(1, lba), read(v.device(), lba, 1));
        }
        assertTrue(v.stats().commitGroups() <= 64);
        assertEquals(64, v.stats().journalRecords());
    }
}
