package org.remaptarget.remap.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.remaptarget.remap.device.AllocationRun;
import org.remaptarget.remap.device.BlockDevice;
import org.remaptarget.remap.meta.Layout;

/** Discard and allocation queries through the remap engine, with remapped blocks in the range. */
class ThinProvisioningEngineTest {
    private static final int CHUNK_BLOCKS = 2048; // MemoryBlockDevice frees whole 1 MiB chunks

    @Test
    void discardedRemappedBlockReadsZerosAndKeepsReadingZerosAfterReopenOfTheRange() throws Exception {
        try (RemapVolume v = Volumes.memory(100, 8)) {
            BlockDevice d = v.device();
            d.write(7, Volumes.pattern(1, 3), false);
            assertTrue(v.remapNow(7) >= 0);
            d.discard(5, 5);
            assertArrayEquals(new byte[Volumes.BS], Volumes.read(d, 7, 1).array());
            assertArrayEquals(new byte[5 * Volumes.BS], Volumes.read(d, 5, 5).array());
        }
    }

    @Test
    void aRemappedBlockIsAlwaysMappedAndCutsADeallocatedRun() throws Exception {
        try (RemapVolume v = Volumes.memory(4 * CHUNK_BLOCKS, 8)) {
            BlockDevice d = v.device();
            d.write(0, ByteBuffer.allocate(4 * CHUNK_BLOCKS * Volumes.BS), false);
            d.discard(0, 4 * CHUNK_BLOCKS);
            long first = -1;
            for (long lba = 0; lba < 4 * CHUNK_BLOCKS; ) {
                AllocationRun r = d.allocation(lba, 4 * CHUNK_BLOCKS - lba);
                if (!r.mapped() && r.length() > 10) {
                    first = lba;
                    break;
                }
                lba += r.length();
            }
            assertTrue(first >= 0, "some whole chunk was freed");
            long remapped = first + 5;
            assertTrue(v.remapNow(remapped) >= 0);
            assertEquals(new AllocationRun(false, 5), d.allocation(first, 100));
            assertEquals(new AllocationRun(true, 1), d.allocation(remapped, 100));
            assertFalse(d.allocation(remapped + 1, 10).mapped() && d.allocation(remapped + 1, 10).length() > 10);
        }
    }

    @Test
    void newLayoutsStartTheDataAreaOnA4KiBBoundary() {
        for (long spares : new long[] {1, 8, 100, 4096, 100_000}) {
            Layout l = Layout.compute(512, 1 << 20, spares, false);
            assertEquals(0, l.dataStart() % 8, "spares " + spares);
        }
    }
}
