package org.remaptarget.remap.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.remaptarget.remap.engine.Volumes.pattern;
import static org.remaptarget.remap.engine.Volumes.read;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.remaptarget.remap.device.MediumErrorException;
import org.remaptarget.remap.fault.FaultOp;
import org.remaptarget.remap.fault.FaultOutcome;
import org.remaptarget.remap.fault.FaultRule;
import org.remaptarget.remap.fault.FaultTrigger;

/** The engine's recovery switches changed at run time, and writes that report a reallocation. */
class RuntimeRecoveryOptionsTest {

    private static FaultRule failWrites(RemapVolume v, long lba) {
        return FaultRule.of(FaultOp.WRITE, v.backingLbaOfData(lba), 1, new FaultOutcome.MediumError());
    }

    @Test
    void writeReportingNamesTheBlockOfAMultiBlockWriteThatMovedToASpare() throws Exception {
        try (RemapVolume v = Volumes.memory(100, 8)) {
            v.faults().addRule(failWrites(v, 13));
            long moved = v.device().writeReporting(10, pattern(8, 1), false);
            assertEquals(13, moved);
            assertEquals(List.of(new Remap(13, 0)), v.remaps());
            assertEquals(pattern(8, 1), read(v.device(), 10, 8));
        }
    }

    @Test
    void writeReportingSaysNothingMovedForACleanWrite() throws Exception {
        try (RemapVolume v = Volumes.memory(100, 8)) {
            assertEquals(RemappingBlockDevice.NOT_REALLOCATED, v.device().writeReporting(0, pattern(4, 2), true));
        }
    }

    @Test
    void writeReportingSaysNothingMovedWhenARetryInPlaceHealedTheBlock() throws Exception {
        try (RemapVolume v = Volumes.memory(100, 8)) {
            v.faults().addRule(new FaultRule(Set.of(FaultOp.WRITE, FaultOp.READ), v.backingLbaOfData(5), 1,
                    new FaultTrigger.FailThenHealOnWrite(1), new FaultOutcome.MediumError(), 0));
            assertEquals(RemappingBlockDevice.NOT_REALLOCATED, v.device().writeReporting(5, pattern(1, 5), false));
            assertEquals(1, v.stats().writeRetries());
        }
    }

    @Test
    void writeReportingNamesAPendingBlockThatTheWriteReallocated() throws Exception {
        try (RemapVolume v = Volumes.memory(100, 8)) {
            v.faults().addRule(FaultRule.of(FaultOp.READ, v.backingLbaOfData(40), 1, new FaultOutcome.MediumError()));
            assertThrows(MediumErrorException.class, () -> read(v.device(), 40, 1));
            assertEquals(List.of(40L), v.pending());
            assertEquals(40, v.device().writeReporting(39, pattern(3, 3), false));
            assertTrue(v.pending().isEmpty());
        }
    }

    @Test
    void turningAutomaticWriteReallocationOffReportsTheFailingBlockInsteadOfMovingIt() throws Exception {
        try (RemapVolume v = Volumes.memory(100, 8)) {
            v.faults().addRule(failWrites(v, 22));
            v.device().setAutoReallocateOnWrite(false);
            MediumErrorException e = assertThrows(MediumErrorException.class,
                    () -> v.device().write(20, pattern(4, 4), false));
            assertEquals(22, e.lba());
            assertTrue(e.isWrite());
            assertTrue(v.remaps().isEmpty());
            assertEquals(1, v.stats().writeErrorsReported());
            v.device().setAutoReallocateOnWrite(true);
            assertEquals(22, v.device().writeReporting(20, pattern(4, 4), false));
            assertEquals(List.of(new Remap(22, 0)), v.remaps());
        }
    }

    @Test
    void readRetriesSetAtRunTimeDecideWhetherAFlakyBlockIsRecovered() throws Exception {
        try (RemapVolume v = Volumes.memory(100, 8)) {
            v.device().write(7, pattern(1, 7), false);
            v.device().setReadRetries(1);
            v.faults().addRule(FaultRule.of(FaultOp.READ, v.backingLbaOfData(7), 1, new FaultOutcome.MediumError())
                    .withMaxFirings(2));
            assertThrows(MediumErrorException.class, () -> read(v.device(), 7, 1));
            assertEquals(List.of(7L), v.pending());

            v.faults().addRule(FaultRule.of(FaultOp.READ, v.backingLbaOfData(8), 1, new FaultOutcome.MediumError())
                    .withMaxFirings(2));
            v.device().setReadRetries(2);
            ByteBuffer got = read(v.device(), 8, 1);
            assertEquals(Volumes.BS, got.remaining());
            assertEquals(List.of(7L), v.pending());
            assertEquals(1, v.stats().readsRecovered());
            assertEquals(3, v.stats().readRetries());
        }
    }

    private static FaultRule flakyRead(RemapVolume v, long lba, int failures) {
        return FaultRule.of(FaultOp.READ, v.backingLbaOfData(lba), 1, new FaultOutcome.MediumError())
                .withMaxFirings(failures);
    }

    @Test
    void aBlockReadableOnlyOnARetryIsReportedAndStaysInPlaceWithoutArre() throws Exception {
        try (RemapVolume v = Volumes.memory(100, 8)) {
            v.device().write(30, pattern(4, 30), false);
            v.faults().addRule(flakyRead(v, 32, 2)); // the 4-block read, then the block's own first attempt
            ByteBuffer got = ByteBuffer.allocate(4 * Volumes.BS);
            assertEquals(new ReadRecovery(32, false), v.device().readReporting(30, got));
            assertEquals(pattern(4, 30), got.flip());
            assertTrue(v.remaps().isEmpty());
        }
    }

    @Test
    void aMultiBlockReadThatFailedOnceAndThenReadBlockByBlockIsReportedAtItsFirstBlockAndNothingMoves()
            throws Exception {
        try (RemapVolume v = Volumes.memory(100, 8)) {
            v.device().write(30, pattern(4, 32), false);
            v.device().setAutoReallocateOnRead(true);
            v.faults().addRule(flakyRead(v, 32, 1));
            ByteBuffer got = ByteBuffer.allocate(4 * Volumes.BS);
            assertEquals(new ReadRecovery(30, false), v.device().readReporting(30, got));
            assertEquals(pattern(4, 32), got.flip());
            assertTrue(v.remaps().isEmpty());
        }
    }

    @Test
    void aReadThatNeededNoRetryReportsNothing() throws Exception {
        try (RemapVolume v = Volumes.memory(100, 8)) {
            assertEquals(null, v.device().readReporting(0, ByteBuffer.allocate(8 * Volumes.BS)));
        }
    }

    @Test
    void withArreABlockReadableOnlyOnARetryMovesToASpareWithItsData() throws Exception {
        try (RemapVolume v = Volumes.memory(100, 8)) {
            v.device().write(30, pattern(4, 31), false);
            v.device().setAutoReallocateOnRead(true);
            v.faults().addRule(flakyRead(v, 33, 2));
            ByteBuffer got = ByteBuffer.allocate(4 * Volumes.BS);
            assertEquals(new ReadRecovery(33, true), v.device().readReporting(30, got));
            assertEquals(List.of(new Remap(33, 0)), v.remaps());
            v.faults().addRule(FaultRule.of(FaultOp.READ, v.backingLbaOfData(33), 1, new FaultOutcome.MediumError()));
            assertEquals(pattern(4, 31), read(v.device(), 30, 4)); // the old place is dead: the spare answers
        }
    }

    @Test
    void withArreButNoSpareLeftTheRecoveredReadStillSucceedsWithoutMovingTheBlock() throws Exception {
        try (RemapVolume v = Volumes.memory(100, 1)) {
            v.remapNow(1);
            v.device().write(50, pattern(1, 50), false);
            v.device().setAutoReallocateOnRead(true);
            v.faults().addRule(flakyRead(v, 50, 1));
            ByteBuffer got = ByteBuffer.allocate(Volumes.BS);
            assertEquals(new ReadRecovery(50, false), v.device().readReporting(50, got));
            assertEquals(pattern(1, 50), got.flip());
            assertEquals(List.of(new Remap(1, 0)), v.remaps());
        }
    }

    @Test
    void readRetriesOutsideTheEnginesRangeAreRefused() throws Exception {
        try (RemapVolume v = Volumes.memory(100, 8)) {
            assertThrows(IllegalArgumentException.class, () -> v.device().setReadRetries(101));
            assertEquals(EngineOptions.defaults().readRetries(), v.device().options().readRetries());
        }
    }
}
