package org.remaptarget.remap.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.remaptarget.remap.engine.Volumes.BS;
import static org.remaptarget.remap.engine.Volumes.pattern;
import static org.remaptarget.remap.engine.Volumes.calls;
import static org.remaptarget.remap.engine.Volumes.read;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.remaptarget.remap.device.BlockDevice;
import org.remaptarget.remap.device.ForwardingDevice;
import org.remaptarget.remap.device.MemoryBlockDevice;
import org.remaptarget.remap.fault.FaultOp;
import org.remaptarget.remap.fault.FaultOutcome;
import org.remaptarget.remap.fault.FaultRule;

/**
 * Multi-block writes over remapped blocks ({@link RangeWriter}): write-through of the primary with the remapped
 * blocks then written to their spares, gathered spare writes, and the fallback to the split path when the primary
 * or a spare fails. Device calls are counted with fault rules that never fire.
 */
class RangeWriterTest {
    private static final int DATA = 400;
    private static final int SPARES = 300;

    /** A volume holding {@code pattern(DATA, 1)}, with every {@code step}-th block from 0 on moved to a spare. */
    private static RemapVolume volumeWithEvery(int step) throws Exception {
        return Volumes.remappedEvery(DATA, SPARES, step);
    }

    private static long countWrites(RemapVolume v, long deviceLba, long blocks) {
        return Volumes.countCalls(v, FaultOp.WRITE, deviceLba, blocks);
    }

    /** {@code expect} with {@code [lba, +blocks)} replaced by {@code data}. */
    private static void put(ByteBuffer expect, long lba, ByteBuffer data) {
        expect.put((int) lba * BS, data, 0, data.remaining());
    }

    private static long spareOf(RemapVolume v, long lba) {
        return v.remaps().stream().filter(r -> r.lba() == lba).findFirst().orElseThrow().spare();
    }

    @Test
    void writeOverRemappedBlocksWithConsecutiveSparesIsOnePrimaryAndOneSpareWrite() throws Exception {
        try (RemapVolume v = volumeWithEvery(20)) {
            long primary = countWrites(v, v.backingLbaOfData(0), DATA);
            long spares = countWrites(v, v.deviceLbaOfSpare(0), SPARES);
            ByteBuffer fresh = pattern(DATA, 2);
            assertEquals(RemappingBlockDevice.NOT_REALLOCATED, v.device().writeReporting(0, fresh.duplicate(), false));
            assertEquals(1, calls(v, primary));
            assertEquals(1, calls(v, spares));
            assertEquals(fresh, read(v.device(), 0, DATA));
            assertEquals(20, v.remaps().size());
            assertEquals(0, v.stats().writeErrors());
        }
    }

    @Test
    void writeOverRemappedBlocksWithScatteredSparesWritesEachSpareAndEveryBlockReadsBack() throws Exception {
        try (RemapVolume v = Volumes.memory(DATA, SPARES)) {
            v.device().write(0, pattern(DATA, 1), false);
            for (int i = 0; i < 20; i++) {
                v.remapNow(190 - 9 * i); // spares descending
            }
            for (int i = 0; i < 20; i++) {
                v.remapNow(250 + i); // adjacent blocks on consecutive spares, beyond the first write
            }
            ByteBuffer expect = pattern(DATA, 1);
            long primary = countWrites(v, v.backingLbaOfData(0), DATA);
            long spares = countWrites(v, v.deviceLbaOfSpare(0), SPARES);
            ByteBuffer fresh = pattern(200, 3);
            v.device().write(0, fresh.duplicate(), false);
            put(expect, 0, fresh);
            assertEquals(1, calls(v, primary));
            assertEquals(20, calls(v, spares));
            ByteBuffer tail = pattern(40, 4);
            v.device().write(240, tail.duplicate(), false); // [240, 250) unmapped, then 20 adjacent remapped blocks
            put(expect, 240, tail);
            assertEquals(2, calls(v, primary)); // one unmapped run: written as is, split, gathered
            assertEquals(21, calls(v, spares));
            assertEquals(expect, read(v.device(), 0, DATA));
        }
    }

    @Test
    void writeThroughOverAFailingRemappedPrimaryFallsBackAndThenSplitsThereWithoutTryingAgain() throws Exception {
        try (RemapVolume v = volumeWithEvery(20)) {
            ByteBuffer expect = pattern(DATA, 1);
            long primary = countWrites(v, v.backingLbaOfData(0), DATA); // first: a firing rule ends the evaluation
            v.faults().addRule(FaultRule.of(FaultOp.WRITE, v.backingLbaOfData(60), 1,
                    new FaultOutcome.MediumError()));
            ByteBuffer a = pattern(40, 5);
            assertEquals(RemappingBlockDevice.NOT_REALLOCATED, v.device().writeReporting(50, a.duplicate(), false));
            put(expect, 50, a);
            assertEquals(1 + 3, calls(v, primary)); // the failed write-through, then the runs [51,60) [61,80) [81,90)
            ByteBuffer b = pattern(40, 6);
            v.device().write(50, b.duplicate(), false);
            put(expect, 50, b);
            assertEquals(4 + 3, calls(v, primary)); // split at once: the failing primary is not written again
            ByteBuffer c = pattern(100, 7);
            v.device().write(200, c.duplicate(), false);
            put(expect, 200, c);
            assertEquals(7 + 1, calls(v, primary)); // elsewhere write-through goes on
            assertEquals(20, v.remaps().size()); // the remapped block's bad primary moved nothing
            assertEquals(0, v.stats().writeErrors());
            assertEquals(expect, read(v.device(), 0, DATA));
        }
    }

    @Test
    void aFailingUnremappedBlockInAWriteThroughIsMovedToASpareAtItsExactLba() throws Exception {
        try (RemapVolume v = volumeWithEvery(20)) {
            ByteBuffer expect = pattern(DATA, 1);
            v.faults().addRule(FaultRule.of(FaultOp.WRITE, v.backingLbaOfData(47), 1,
                    new FaultOutcome.MediumError()));
            ByteBuffer fresh = pattern(40, 8);
            assertEquals(47, v.device().writeReporting(30, fresh.duplicate(), true));
            put(expect, 30, fresh);
            assertEquals(21, v.remaps().size());
            assertTrue(v.remaps().stream().anyMatch(r -> r.lba() == 47));
            assertEquals(expect, read(v.device(), 0, DATA));
        }
    }

    @Test
    void aFailingSpareInsideAGatheredWriteIsMovedToANewSpareAndReadsBack() throws Exception {
        try (RemapVolume v = volumeWithEvery(20)) {
            ByteBuffer expect = pattern(DATA, 1);
            long old = spareOf(v, 100);
            v.faults().addRule(FaultRule.of(FaultOp.WRITE, v.deviceLbaOfSpare(old), 1, new FaultOutcome.IoError()));
            ByteBuffer fresh = pattern(DATA, 9);
            assertEquals(100, v.device().writeReporting(0, fresh.duplicate(), false));
            put(expect, 0, fresh);
            assertTrue(spareOf(v, 100) != old, "LBA 100 must have moved off its failing spare");
            assertEquals(20, v.remaps().size());
            assertEquals(expect, read(v.device(), 0, DATA));
        }
    }

    @Test
    void aPendingBlockInsideAWriteOverRemappedBlocksIsRemappedByThatWrite() throws Exception {
        try (RemapVolume v = volumeWithEvery(20)) {
            ByteBuffer expect = pattern(DATA, 1);
            v.faults().addRule(FaultRule.of(FaultOp.READ, v.backingLbaOfData(33), 1, new FaultOutcome.MediumError()));
            try {
                read(v.device(), 33, 1);
            } catch (IOException expected) {
                // marks 33 pending
            }
            assertEquals(List.of(33L), v.pending());
            ByteBuffer fresh = pattern(50, 10);
            assertEquals(33, v.device().writeReporting(10, fresh.duplicate(), false));
            put(expect, 10, fresh);
            assertTrue(v.pending().isEmpty());
            assertTrue(v.remaps().stream().anyMatch(r -> r.lba() == 33));
            assertEquals(expect, read(v.device(), 0, DATA));
        }
    }

    @Test
    void fuaReachesThePrimaryAndTheGatheredSpares() throws Exception {
        FormatOptions f = FormatOptions.of(BS, DATA, SPARES);
        List<long[]> fuaWrites = new ArrayList<>(); // {device lba, blocks}
        MemoryBlockDevice mem = new MemoryBlockDevice(BS, f.layout(false).backingBlocks());
        BlockDevice dev = new ForwardingDevice(mem) {
            @Override
            public void write(long lba, ByteBuffer src, boolean fua) throws IOException {
                if (fua) {
                    fuaWrites.add(new long[] {lba, src.remaining() / BS});
                }
                super.write(lba, src, fua);
            }
        };
        RemapVolume.format(dev, null, f);
        try (RemapVolume v = RemapVolume.open(dev, Volumes.opts())) {
            v.device().write(0, pattern(DATA, 1), false);
            for (long b = 0; b < DATA; b += 20) {
                v.remapNow(b);
            }
            fuaWrites.clear();
            v.device().write(0, pattern(DATA, 11), true);
            assertEquals(2, fuaWrites.size(), "one FUA write of the primary, one of the gathered spares");
            assertEquals(v.backingLbaOfData(0), fuaWrites.get(0)[0]);
            assertEquals(DATA, fuaWrites.get(0)[1]);
            assertEquals(v.deviceLbaOfSpare(spareOf(v, 0)), fuaWrites.get(1)[0]);
            assertEquals(20, fuaWrites.get(1)[1]);
            fuaWrites.clear();
            v.device().write(0, pattern(DATA, 12), false);
            assertFalse(fuaWrites.stream().anyMatch(w -> w[0] >= v.backingLbaOfData(0)
                    && w[0] < v.backingLbaOfData(DATA)), "a write without FUA must not force the data area");
        }
    }
}
