package org.remaptarget.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.remaptarget.target.api.RemapTarget;

/**
 * Sixteen concurrent sessions (one qemu-io process each, over QEMU's iscsi driver) doing random writes of known
 * patterns and verified reads for a fixed time (60 s; IT_SOAK_SECONDS overrides), each in its own region of one
 * LUN: no error, no mismatch, and after every session logged out the server has no session and no extra thread.
 */
class ConcurrentSessionsIT {
    private static final int SESSIONS = 16;
    private static final long SIZE = 256L << 20;
    private static final int BLOCK = 4096;
    private static final java.util.regex.Pattern DONE = java.util.regex.Pattern.compile("(wrote|read) \\d+/\\d+ bytes");

    @TempDir
    Path dir;

    @Test
    void sixteenSessionsOfVerifiedRandomIoSeeNoErrorAndLeakNothing() throws Exception {
        Tools.require("qemu-io");
        long seconds = Long.parseLong(System.getenv().getOrDefault("IT_SOAK_SECONDS", "60"));
        try (RemapTarget server = TestTargets.start(dir, SIZE, false)) {
            long baselineThreads = serverThreads();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            ExecutorService pool = Executors.newFixedThreadPool(SESSIONS);
            List<Future<Long>> results = new ArrayList<>();
            for (int s = 0; s < SESSIONS; s++) {
                int session = s;
                results.add(pool.submit(() -> worker(server.url(), session, deadline)));
            }
            long ops = 0;
            for (Future<Long> f : results) {
                ops += f.get(seconds + 300, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertTrue(ops > SESSIONS * 100L, "only " + ops + " verified operations ran");
            System.out.println("concurrent sessions: " + ops + " verified qemu-io operations in " + seconds + " s");

            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while ((server.sessionCount() > 0 || serverThreads() > baselineThreads) && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            assertEquals(0, server.sessionCount(), "sessions left after logout");
            assertTrue(serverThreads() <= baselineThreads,
                    "server threads " + serverThreads() + " > baseline " + baselineThreads);
        }
    }

    /** Runs qemu-io batches until the deadline; returns the number of verified operations. */
    private static long worker(String url, int session, long deadline) throws Exception {
        long regionBlocks = SIZE / SESSIONS / BLOCK;
        long base = session * regionBlocks;
        int[] model = new int[(int) regionBlocks];          // pattern byte per block, 0 = never written
        Random rnd = new Random(1000 + session);
        long ops = 0;
        int batch = 0;
        while (System.nanoTime() < deadline && batch < 10_000) {
            batch++;
            StringBuilder script = new StringBuilder();
            int cmds = 0;
            for (int i = 0; i < 200; i++) {
                int len = 1 + rnd.nextInt(16);
                int start = rnd.nextInt(model.length - len);
                if (rnd.nextInt(3) > 0) {
                    int pat = 1 + rnd.nextInt(255);
                    script.append("write -P ").append(pat).append(' ').append((base + start) * BLOCK).append(' ')
                            .append((long) len * BLOCK).append('\n');
                    for (int b = start; b < start + len; b++) {
                        model[b] = pat;
                    }
                } else {
                    int b = rnd.nextInt(model.length);
                    script.append("read -P ").append(model[b]).append(' ').append((base + b) * BLOCK).append(' ')
                            .append(BLOCK).append('\n');
                }
                cmds++;
            }
            Tools.Result r = Tools.runWithInput(120, script.toString(), "qemu-io", "-f", "raw", url);
            String out = r.output();
            assertTrue(r.ok(), "session " + session + " batch " + batch + " failed:\n" + out);
            assertTrue(!out.contains("verification failed") && !out.contains("error") && !out.contains("failed"),
                    "session " + session + " batch " + batch + ":\n" + out);
            long done = DONE.matcher(out).results().count();
            assertEquals(cmds, done, "session " + session + " batch " + batch + ":\n" + out);
            ops += done;
        }
        return ops;
    }

    private static long serverThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("iscsi")).count();
    }
}
