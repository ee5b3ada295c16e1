package org.remaptarget.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.remaptarget.target.testing.TestInitiator;

/**
 * A SANITIZE OVERWRITE on a file-backed LUN, the server killed with SIGKILL while it runs: the restarted server
 * reports NOT READY 04/1B (never the half-overwritten medium) until the operation, run again from the start, ends,
 * and then every block reads the pattern.
 */
class SanitizeRestartIT {
    private static final String IQN = "iqn.2026-11.org.remaptarget:sanitize";
    private static final long BLOCKS = (512L << 20) / 512;
    private static final int TIMEOUT_MS = 10_000;

    @TempDir
    Path dir;
    private ServerProcess server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static byte[] sanitizeOverwrite() {
        byte[] cdb = new byte[10];
        cdb[0] = 0x48;
        cdb[1] = (byte) 0x80 | 0x01; // IMMED, OVERWRITE
        cdb[8] = 5;
        return cdb;
    }

    private static String awaitTestUnitReady(TestInitiator t, long timeoutMs) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        String last = "none";
        while (System.nanoTime() < deadline) {
            TestInitiator.Reply r = t.execute(0, TestInitiator.testUnitReady(), 0, null, TIMEOUT_MS);
            if (r.status() == 0) {
                return "GOOD after " + last;
            }
            last = r.senseCode();
            Thread.sleep(50);
        }
        return last;
    }

    private static TestInitiator login(int port) throws Exception {
        TestInitiator t = new TestInitiator(new InetSocketAddress("127.0.0.1", port));
        assertEquals(0, t.login("iqn.2026-11.org.remaptarget:sanitizer", 0x23d000000003L, IQN,
                java.util.Map.of()).statusClass());
        for (int i = 0; i < 4; i++) {
            TestInitiator.Reply r = t.execute(0, TestInitiator.testUnitReady(), 0, null, TIMEOUT_MS);
            if (!r.senseCode().startsWith("06/")) {
                break; // unit attentions consumed
            }
        }
        return t;
    }

    @Test
    void anOverwriteInterruptedBySigkillRunsAgainAfterRestartAndNothingReadsTheMediumBetween() throws Exception {
        int port = ServerProcess.freePort();
        Path config = ServerProcess.oneLunConfig(dir, port, IQN, "512MiB", "8MiB");
        server = new ServerProcess(config, dir, ServerProcess.freePort()).withLogLevel("warn");
        server.start();
        byte[] params = {4, 0, 0, 1, (byte) 0x6B}; // four passes of 0x6B: 2 GiB of writes, seconds of work
        String progressSeen;
        try (TestInitiator t = login(port)) {
            TestInitiator.Reply w = t.execute(0, TestInitiator.write10(BLOCKS - 1, 1), 0, new byte[512], TIMEOUT_MS);
            assertEquals(0, w.status(), w.senseCode());
            TestInitiator.Reply s = t.execute(0, sanitizeOverwrite(), 0, params, TIMEOUT_MS);
            assertEquals(0, s.status(), "SANITIZE IMMED: " + s.senseCode());
            Thread.sleep(300);
            TestInitiator.Reply busy = t.execute(0, TestInitiator.testUnitReady(), 0, null, TIMEOUT_MS);
            progressSeen = busy.senseCode();
            assertEquals("02/04/1B", progressSeen, "the sanitize is still running when the server is killed");
            server.kill();
        }
        assertTrue(Files.exists(dir.resolve("lun0.img.sanitize")), "the running operation was recorded");

        server.start();
        try (TestInitiator t = login(port)) {
            TestInitiator.Reply first = t.execute(0, TestInitiator.read10(0, 1), 512, null, TIMEOUT_MS);
            String outcome = awaitTestUnitReady(t, 120_000);
            assertTrue(outcome.startsWith("GOOD"), "the resumed sanitize ended: " + outcome);
            // a read right after the restart either waited for nothing (the operation had ended) or was refused
            assertTrue(first.status() == 0 || first.senseCode().equals("02/04/1B"),
                    "first read after restart: " + first.senseCode());
            byte[] expected = new byte[512];
            Arrays.fill(expected, (byte) 0x6B);
            for (long lba : new long[] {0, BLOCKS / 2, BLOCKS - 1}) {
                TestInitiator.Reply r = t.execute(0, TestInitiator.read10(lba, 1), 512, null, TIMEOUT_MS);
                assertEquals(0, r.status(), "LBA " + lba + ": " + r.senseCode());
                assertArrayEquals(expected, r.data(), "LBA " + lba + " after the resumed sanitize");
            }
        }
        String log = server.log();
        assertTrue(log.contains("resuming the SANITIZE"), "the restart says it resumes the operation");
    }
}
