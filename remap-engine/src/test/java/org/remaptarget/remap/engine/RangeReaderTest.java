package org.remaptarget.remap.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.remaptarget.remap.engine.Volumes.BS;
import static org.remaptarget.remap.engine.Volumes.pattern;
import static org.remaptarget.remap.engine.Volumes.calls;
import static org.remaptarget.remap.engine.Volumes.read;
import static org.remaptarget.remap.engine.Volumes.slice;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.remaptarget.remap.device.MediumErrorException;
import org.remaptarget.remap.fault.FaultOp;
import org.remaptarget.remap.fault.FaultOutcome;
import org.remaptarget.remap.fault.FaultRule;

/**
 * Multi-block reads over remapped blocks ({@link RangeReader}): read-through of the primary with the spares laid
 * over it, gathered spare reads, and the fallback to the split path when a primary or a spare fails. Device calls
 * are counted with fault rules that never fire.
 */
class RangeReaderTest {
    private static final int DATA = 400;
    private static final int SPARES = 300;

    /** A volume holding {@code pattern(DATA, 1)}, with every {@code step}-th block from 0 on moved to a spare. */
    private static RemapVolume volumeWithEvery(int step) throws Exception {
        return Volumes.remappedEvery(DATA, SPARES, step);
    }

    /** Rewrites the remapped blocks (their new data lands on the spares): a stale primary would show. */
    private static ByteBuffer rewriteRemapped(RemapVolume v) throws Exception {
        ByteBuffer expect = pattern(DATA, 1);
        for (Remap r : v.remaps()) {
            ByteBuffer fresh = pattern(1, 1000 + r.lba());
            v.device().write(r.lba(), fresh.duplicate(), false);
            expect.put((int) r.lba() * BS, fresh, 0, BS);
        }
        return expect;
    }

    private static long countReads(RemapVolume v, long deviceLba, long blocks) {
        return Volumes.countCalls(v, FaultOp.READ, deviceLba, blocks);
    }

    @Test
    void readOverRemappedBlocksWithConsecutiveSparesIsOnePrimaryAndOneSpareRead() throws Exception {
        try (RemapVolume v = volumeWithEvery(20)) {
            ByteBuffer expect = rewriteRemapped(v);
            long primary = countReads(v, v.backingLbaOfData(0), DATA);
            long spares = countReads(v, v.deviceLbaOfSpare(0), SPARES);
            assertEquals(expect, read(v.device(), 0, DATA));
            assertEquals(1, calls(v, primary));
            assertEquals(1, calls(v, spares));
        }
    }

    @Test
    void readOverRemappedBlocksWithScatteredSparesReadsEachSpareAndReturnsTheirData() throws Exception {
        try (RemapVolume v = Volumes.memory(DATA, SPARES)) {
            v.device().write(0, pattern(DATA, 1), false);
            for (int i = 0; i < 20; i++) {
                v.remapNow(190 - 9 * i); // descending, and three blocks beyond the read between two of them
                for (int j = 0; j < 3; j++) {
                    v.remapNow(210 + 9 * i + j);
                }
            }
            ByteBuffer expect = rewriteRemapped(v);
            long primary = countReads(v, v.backingLbaOfData(0), DATA);
            long spares = countReads(v, v.deviceLbaOfSpare(0), SPARES);
            assertEquals(slice(expect, 0, 200), read(v.device(), 0, 200));
            assertEquals(1, calls(v, primary));
            assertEquals(20, calls(v, spares));
            assertEquals(expect, read(v.device(), 0, DATA));
        }
    }

    @Test
    void readOverAMixOfSpareRunsAndLoneSparesReturnsTheirData() throws Exception {
        try (RemapVolume v = Volumes.memory(DATA, SPARES)) {
            v.device().write(0, pattern(DATA, 1), false);
            for (long b = 100; b < 110; b++) {
                v.remapNow(b); // a run of adjacent blocks on consecutive spares
            }
            for (int i = 0; 300 - 17 * i > 110; i++) {
                v.remapNow(300 - 17 * i); // lone blocks, spares descending and far apart
                for (int j = 0; j < 3; j++) {
                    v.remapNow(330 + 3 * i + j);
                }
            }
            v.remapNow(5);
            v.remapNow(6);
            ByteBuffer expect = rewriteRemapped(v);
            long spares = countReads(v, v.deviceLbaOfSpare(0), SPARES);
            assertEquals(slice(expect, 0, 320), read(v.device(), 0, 320));
            assertEquals(2 + 12, calls(v, spares)); // the two runs gathered, the twelve lone blocks one by one
            for (long lba = 0; lba + 64 <= DATA; lba += 29) {
                assertEquals(slice(expect, lba, 64), read(v.device(), lba, 64), "read at " + lba);
            }
        }
    }

    @Test
    void readThroughOverAFailingRemappedPrimaryFallsBackAndThenSplitsThereWithoutTryingAgain() throws Exception {
        try (RemapVolume v = volumeWithEvery(20)) {
            ByteBuffer expect = rewriteRemapped(v);
            long primary = countReads(v, v.backingLbaOfData(0), DATA); // first: a firing rule ends the evaluation
            v.faults().addRule(FaultRule.of(FaultOp.READ, v.backingLbaOfData(60), 1, new FaultOutcome.MediumError()));
            assertEquals(slice(expect, 50, 40), read(v.device(), 50, 40));
            assertEquals(1 + 3, calls(v, primary)); // the failed read-through, then the runs [51,60) [61,80) [81,90)
            assertEquals(slice(expect, 50, 40), read(v.device(), 50, 40));
            assertEquals(4 + 3, calls(v, primary)); // split at once: the failing primary is not read again
            assertTrue(v.pending().isEmpty());
            assertEquals(0, v.stats().readErrors());
            assertEquals(slice(expect, 200, 100), read(v.device(), 200, 100));
            assertEquals(7 + 1, calls(v, primary)); // elsewhere read-through goes on
        }
    }

    @Test
    void aFailingSpareInsideAGatheredSpanIsReportedAtItsLbaAndMarkedPending() throws Exception {
        try (RemapVolume v = volumeWithEvery(20)) {
            rewriteRemapped(v);
            long spareOf100 = v.remaps().stream().filter(r -> r.lba() == 100).findFirst().orElseThrow().spare();
            v.faults().addRule(FaultRule.of(FaultOp.READ, v.deviceLbaOfSpare(spareOf100), 1,
                    new FaultOutcome.IoError()));
            MediumErrorException e = assertThrows(MediumErrorException.class, () -> read(v.device(), 0, DATA));
            assertEquals(100, e.lba());
            assertFalse(e.isWrite());
            assertEquals(List.of(100L), v.pending());
            assertEquals(1, v.stats().readErrors());
        }
    }

    @Test
    void aFailedReadNeverHandsBackTheStalePrimaryOfARemappedBlock() throws Exception {
        try (RemapVolume v = volumeWithEvery(20)) {
            rewriteRemapped(v); // the primaries of the remapped blocks now hold stale data
            long spareOf100 = v.remaps().stream().filter(r -> r.lba() == 100).findFirst().orElseThrow().spare();
            v.faults().addRule(FaultRule.of(FaultOp.READ, v.deviceLbaOfSpare(spareOf100), 1,
                    new FaultOutcome.IoError()));
            ByteBuffer got = ByteBuffer.allocate(DATA * BS);
            assertThrows(MediumErrorException.class, () -> v.device().read(0, got.duplicate()));
            ByteBuffer stale = pattern(DATA, 1);
            for (Remap r : v.remaps()) {
                assertFalse(slice(stale, r.lba(), 1).equals(slice(got, r.lba(), 1)), "stale data of " + r.lba());
            }
        }
    }

    @Test
    void aFailingUnremappedBlockInAReadThroughIsReportedAtItsExactLba() throws Exception {
        try (RemapVolume v = volumeWithEvery(20)) {
            v.faults().addRule(FaultRule.of(FaultOp.READ, v.backingLbaOfData(47), 1, new FaultOutcome.MediumError()));
            MediumErrorException e = assertThrows(MediumErrorException.class, () -> read(v.device(), 30, 40));
            assertEquals(47, e.lba());
            assertEquals(List.of(47L), v.pending());
            assertEquals(1, v.stats().readErrors());
        }
    }

    @Test
    void aTransientReadThroughFailureIsHiddenByTheSplitRead() throws Exception {
        try (RemapVolume v = volumeWithEvery(20)) {
            ByteBuffer expect = rewriteRemapped(v);
            v.faults().addRule(FaultRule.of(FaultOp.READ, v.backingLbaOfData(0), DATA, new FaultOutcome.IoError())
                    .withMaxFirings(1));
            byte[] got = new byte[120 * BS];
            assertEquals(null, v.device().readReporting(10, ByteBuffer.wrap(got)));
            assertArrayEquals(bytes(slice(expect, 10, 120)), got);
            assertTrue(v.pending().isEmpty());
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
