package org.remaptarget.remap.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FileBlockDevice's discard and allocation queries go through the Deallocator hook given at open. */
class FileBlockDeviceDeallocationTest {
    @TempDir
    Path dir;

    /** Records the byte ranges it is asked to free; answers allocation queries from a fixed hole. */
    static final class RecordingDeallocator implements Deallocator {
        final List<long[]> freed = new ArrayList<>();
        final boolean succeeds;
        final long holeStart;
        final long holeEnd;

        RecordingDeallocator(boolean succeeds, long holeStart, long holeEnd) {
            this.succeeds = succeeds;
            this.holeStart = holeStart;
            this.holeEnd = holeEnd;
        }

        @Override
        public boolean deallocate(Path file, long offset, long length) {
            freed.add(new long[] {offset, length});
            return succeeds;
        }

        @Override
        public AllocationRun allocation(Path file, long offset, long length) {
            if (offset >= holeStart && offset < holeEnd) {
                return new AllocationRun(false, Math.min(length, holeEnd - offset));
            }
            long end = offset < holeStart ? holeStart : Long.MAX_VALUE;
            return new AllocationRun(true, Math.min(length, end - offset));
        }
    }

    private static ByteBuffer filled(int bytes, int value) {
        byte[] b = new byte[bytes];
        java.util.Arrays.fill(b, (byte) value);
        return ByteBuffer.wrap(b);
    }

    @Test
    void discardHandsTheByteRangeToTheDeallocator() throws Exception {
        RecordingDeallocator d = new RecordingDeallocator(true, 0, 0);
        try (FileBlockDevice dev = FileBlockDevice.openOrCreate(dir.resolve("f"), 512, 64, d)) {
            dev.discard(8, 4);
        }
        assertEquals(1, d.freed.size());
        assertArrayEquals(new long[] {8 * 512, 4 * 512}, d.freed.get(0));
    }

    @Test
    void discardZeroFillsWhenTheDeallocatorCannotFree() throws Exception {
        RecordingDeallocator d = new RecordingDeallocator(false, 0, 0);
        try (FileBlockDevice dev = FileBlockDevice.openOrCreate(dir.resolve("f"), 512, 64, d)) {
            dev.write(10, filled(1024, 0x5A), false);
            dev.discard(10, 2);
            ByteBuffer back = ByteBuffer.allocate(1024);
            dev.read(10, back);
            assertArrayEquals(new byte[1024], back.array());
        }
    }

    @Test
    void allocationTurnsByteRunsIntoBlockRuns() throws Exception {
        RecordingDeallocator d = new RecordingDeallocator(true, 16 * 512, 40 * 512);
        try (FileBlockDevice dev = FileBlockDevice.openOrCreate(dir.resolve("f"), 512, 64, d)) {
            assertEquals(new AllocationRun(true, 16), dev.allocation(0, 64));
            assertEquals(new AllocationRun(false, 24), dev.allocation(16, 48));
            assertEquals(new AllocationRun(false, 4), dev.allocation(20, 4));
            assertEquals(new AllocationRun(true, 24), dev.allocation(40, 24));
        }
    }

    @Test
    void theDefaultHookReportsEverythingMapped() throws Exception {
        try (FileBlockDevice dev = FileBlockDevice.openOrCreate(dir.resolve("f"), 512, 64)) {
            AllocationRun run = dev.allocation(3, 10);
            assertTrue(run.mapped());
            assertEquals(10, run.length());
            assertFalse(dev.deallocator() != Deallocator.NONE);
        }
    }
}
