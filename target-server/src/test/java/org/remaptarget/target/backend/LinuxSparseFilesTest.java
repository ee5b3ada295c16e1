package org.remaptarget.target.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.remaptarget.remap.device.AllocationRun;
import org.remaptarget.remap.device.Deallocator;
import org.remaptarget.remap.device.FileBlockDevice;

/** The JNA hole puncher on a real sparse file (Linux only; other systems get the zero-fill default). */
class LinuxSparseFilesTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void punchedRangeBecomesAHoleThatReadsZerosWhileItsNeighboursKeepTheirData() throws Exception {
        Deallocator d = LinuxSparseFiles.load();
        assumeTrue(d != Deallocator.NONE, "needs Linux");
        try (FileBlockDevice dev = FileBlockDevice.openOrCreate(dir.resolve("lun.img"), 512, 3 * MIB / 512, d)) {
            byte[] data = new byte[3 * MIB];
            java.util.Arrays.fill(data, (byte) 0x6B);
            dev.write(0, ByteBuffer.wrap(data), true);
            long before = allocated(dev, 3 * MIB / 512);
            assertEquals(3 * MIB / 512, before, "fully written");

            dev.discard(MIB / 512, MIB / 512);
            AllocationRun hole = dev.allocation(MIB / 512, 2 * MIB / 512);
            if (hole.mapped()) {
                return; // a file system without hole support (tmpfs on old kernels): zero-filled instead
            }
            assertEquals(MIB / 512, hole.length());
            ByteBuffer back = ByteBuffer.allocate(3 * MIB);
            dev.read(0, back);
            byte[] b = back.array();
            assertEquals(0x6B, b[MIB - 1]);
            assertArrayEquals(new byte[MIB], java.util.Arrays.copyOfRange(b, MIB, 2 * MIB));
            assertEquals(0x6B, b[2 * MIB]);
            assertTrue(dev.allocation(0, 3 * MIB / 512).mapped());
        }
    }

    private static long allocated(FileBlockDevice dev, long blocks) throws Exception {
        long n = 0;
        for (long lba = 0; lba < blocks; ) {
            AllocationRun r = dev.allocation(lba, blocks - lba);
            if (r.mapped()) {
                n += r.length();
            }
            lba += r.length();
        }
        return n;
    }
}
