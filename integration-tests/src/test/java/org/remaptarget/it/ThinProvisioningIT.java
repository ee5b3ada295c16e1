package org.remaptarget.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.remaptarget.target.api.RemapTarget;

/**
 * Thin provisioning end to end: QEMU's iscsi driver discards (SCSI UNMAP) 256 MiB it wrote, and the sparse backing
 * file's allocated size drops by that much (holes punched), while the range reads back as zeros.
 */
class ThinProvisioningIT {
    private static final long MIB = 1L << 20;

    @TempDir
    Path dir;

    @Test
    void unmapOf256MiBFreesThatMuchOfTheBackingFileAndReadsZeros() throws Exception {
        Tools.require("qemu-io");
        try (RemapTarget server = TestTargets.start(dir, 512 * MIB, false)) {
            Path img = dir.resolve("lun0.img");
            Tools.Result w = Tools.run(120, "qemu-io", "-f", "raw", "-c", "write -P 0xab 0 256M", server.url());
            assertEquals(0, w.exitCode(), w.output());
            assertFalse(w.output().contains("error"), w.output());
            long before = allocatedBytes(img);
            assertTrue(before >= 256 * MIB, "the write allocated " + before + " bytes");

            Tools.Result d = Tools.run(120, "qemu-io", "-f", "raw", "-d", "unmap", "-c", "discard 0 256M",
                    server.url());
            assertEquals(0, d.exitCode(), d.output());
            assertFalse(d.output().contains("error"), d.output());
            long after = allocatedBytes(img);
            assertTrue(before - after >= 255 * MIB, "UNMAP freed only " + (before - after) + " bytes: " + d.output());

            Tools.Result r = Tools.run(120, "qemu-io", "-f", "raw", "-c", "read -P 0 0 256M", server.url());
            assertEquals(0, r.exitCode(), r.output());
            assertFalse(r.output().contains("Pattern verification failed"), r.output());
        }
    }

    /** Bytes the file system has allocated for {@code file} ({@code stat %b} blocks of 512). */
    private static long allocatedBytes(Path file) throws Exception {
        Tools.Result s = Tools.run(30, "stat", "-c", "%b", file.toString());
        assertEquals(0, s.exitCode(), s.output());
        return Long.parseLong(s.output().trim()) * 512;
    }
}
