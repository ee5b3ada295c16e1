package org.remaptarget.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.remaptarget.target.api.RemapTarget;

/** QEMU's iscsi block driver (qemu-img, qemu-io) against a live server (a fresh one per test). */
class QemuIT {
    private static final long SIZE = 128L << 20;

    @TempDir
    Path dir;
    private RemapTarget server;

    @BeforeEach
    void start() throws Exception {
        server = TestTargets.start(dir, SIZE, false);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void qemuImgInfoSeesTheVirtualSize() throws Exception {
        Tools.require("qemu-img");
        Tools.Result r = Tools.run(60, "qemu-img", "info", server.url());
        assertTrue(r.ok(), r.output());
        assertTrue(r.output().contains("virtual size: 128 MiB (" + SIZE + " bytes)"), r.output());
    }

    @Test
    void distinctPatternsAtFirstLastAndUnalignedOffsetsReadBackIdentical() throws Exception {
        Tools.require("qemu-io");
        long last = SIZE - 4096;
        String[][] writes = {
            {"0x11", "0", "4096"},
            {"0x22", String.valueOf(last), "4096"},
            {"0x33", "9000", "3333"},          // unaligned start and length: QEMU does read-modify-write
            {"0x44", String.valueOf(SIZE / 2 + 511), "70000"},
        };
        for (String[] w : writes) {
            Tools.Result r = Tools.run(60, "qemu-io", "-f", "raw", "-c",
                    "write -P " + w[0] + " " + w[1] + " " + w[2], server.url());
            assertTrue(r.ok() && r.output().contains("wrote " + w[2] + "/" + w[2] + " bytes"), r.output());
        }
        for (String[] w : writes) {
            Tools.Result r = Tools.run(60, "qemu-io", "-f", "raw", "-c",
                    "read -P " + w[0] + " " + w[1] + " " + w[2], server.url());
            assertTrue(r.ok() && r.output().contains("read " + w[2] + "/" + w[2] + " bytes"), r.output());
            assertFalse(r.output().contains("Pattern verification failed"), r.output());
        }
        // the bytes around the unaligned write (in the same 4 KiB blocks) are still zero
        Tools.Result before = Tools.run(60, "qemu-io", "-f", "raw", "-c", "read -P 0 8192 808", server.url());
        assertTrue(before.ok() && !before.output().contains("verification failed"), before.output());
        Tools.Result after = Tools.run(60, "qemu-io", "-f", "raw", "-c", "read -P 0 12333 4051", server.url());
        assertTrue(after.ok() && !after.output().contains("verification failed"), after.output());
    }

    @Test
    void qemuImgConvertOfA64MiBImageComparesEqual() throws Exception {
        Tools.require("qemu-img");
        Path image = dir.resolve("src.raw");
        Random rnd = new Random(42);
        byte[] buf = new byte[1 << 20];
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            for (int i = 0; i < 64; i++) {
                if (i % 8 == 3) {
                    java.util.Arrays.fill(buf, (byte) 0);   // some zero extents, which qemu-img treats specially
                } else {
                    rnd.nextBytes(buf);
                }
                f.write(buf);
            }
        }
        Tools.Result conv = Tools.run(300, "qemu-img", "convert", "-n", "-f", "raw", "-O", "raw", "-t", "none",
                image.toString(), server.url());
        assertTrue(conv.ok(), conv.output());
        Tools.Result cmp = Tools.run(300, "qemu-img", "compare", "-f", "raw", "-F", "raw", image.toString(),
                server.url());
        // the LUN is larger than the image: compare checks the tail is zero and says so when identical
        assertTrue(cmp.ok(), cmp.output());
        assertTrue(cmp.output().contains("Images are identical"), cmp.output());
    }
}
