package org.remaptarget.target.robustness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.remaptarget.target.api.RemapTarget;
import org.remaptarget.target.testing.VerifiedIo;

/**
 * Load: 64 test-initiator sessions doing verified mixed I/O, each on its own block range, for a bounded time
 * ({@code -Dload.seconds=600} or env {@code LOAD_SECONDS} for the 10-minute run; 15 s by default), and a run where
 * half of the initiators vanish mid-I/O without logout. No data mismatch, no stuck session, heap flat.
 */
class LoadTest {
    static final String IQN = "iqn.2026-11.org.remaptarget:load";
    static final int SESSIONS = 64;
    static final int RANGE = 256; // blocks per session
    static final long SECONDS = Long.getLong("load.seconds",
            System.getenv("LOAD_SECONDS") == null ? 15 : Long.parseLong(System.getenv("LOAD_SECONDS")));

    private static RemapTarget server() throws IOException {
        return RemapTarget.builder().ioThreads(8).target(IQN).memoryLun(0, (long) SESSIONS * RANGE * 512 * 2).and()
                .start();
    }

    private static VerifiedIo session(InetSocketAddress portal, int i) throws IOException {
        return new VerifiedIo(portal, IQN, "iqn.2026-11.org.example:load" + i, 0x80_0000_2000L + i,
                (long) i * RANGE, RANGE, 1000 + i);
    }

    @Test
    void sixtyFourSessionsDoVerifiedIoWithoutMismatchOrGrowth() throws Exception {
        try (RemapTarget server = server()) {
            InetSocketAddress portal = new InetSocketAddress("127.0.0.1", server.port());
            List<VerifiedIo> sessions = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                sessions.add(session(portal, i));
            }
            assertEquals(SESSIONS, server.sessionCount());
            ExecutorService pool = Executors.newFixedThreadPool(SESSIONS);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
            List<Future<String>> results = new ArrayList<>();
            for (VerifiedIo io : sessions) {
                results.add(pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        String problem = io.step();
                        if (problem != null) {
                            return problem;
                        }
                    }
                    return io.ops() > 0 ? null : "no operation completed";
                }));
            }
            // the heap baseline is taken once every session's range has been written (the LUN's data and the
            // clients' buffers are live from then on); what remains must not grow
            Thread.sleep(Math.min(3000, SECONDS * 1000 / 3));
            long heapBefore = NetworkFuzzTest.usedHeapAfterGc();
            long ops = 0;
            for (int i = 0; i < SESSIONS; i++) {
                assertNull(results.get(i).get(SECONDS + 60, TimeUnit.SECONDS), "session " + i);
                ops += sessions.get(i).ops();
            }
            pool.shutdown();
            for (VerifiedIo io : sessions) {
                io.close();
            }
            NetworkFuzzTest.awaitSessions(server, 0);
            long heapAfter = NetworkFuzzTest.usedHeapAfterGc();
            System.out.printf("load: %d sessions, %d verified write+read pairs in %d s, heap %d -> %d MiB%n",
                    SESSIONS, ops, SECONDS, heapBefore >> 20, heapAfter >> 20);
            assertTrue(heapAfter < heapBefore + (32L << 20), "heap grew " + (heapBefore >> 20) + " -> "
                    + (heapAfter >> 20) + " MiB");
            assertEquals(SESSIONS, sessions.size()); // the clients stay reachable until here
        }
    }

    @Test
    void halfTheInitiatorsVanishMidIoAndTheRestCarryOn() throws Exception {
        try (RemapTarget server = server()) {
            InetSocketAddress portal = new InetSocketAddress("127.0.0.1", server.port());
            int baselineThreads = NetworkFuzzTest.settledThreadCount();
            List<VerifiedIo> sessions = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                sessions.add(session(portal, i));
            }
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(SESSIONS);
            List<Future<String>> results = new ArrayList<>();
            for (VerifiedIo io : sessions) {
                results.add(pool.submit(() -> {
                    while (!stop.get()) {
                        String problem;
                        try {
                            problem = io.step();
                        } catch (IOException e) {
                            return "io: " + e;
                        }
                        if (problem != null) {
                            return problem;
                        }
                    }
                    return null;
                }));
            }
            Thread.sleep(2000);
            long heapBefore = NetworkFuzzTest.usedHeapAfterGc();
            for (int i = 0; i < SESSIONS; i += 2) {
                sessions.get(i).close(); // abrupt: no logout, commands in flight
            }
            NetworkFuzzTest.awaitSessions(server, SESSIONS / 2);
            long[] opsAtVanish = new long[SESSIONS];
            for (int i = 1; i < SESSIONS; i += 2) {
                opsAtVanish[i] = sessions.get(i).ops();
            }
            Thread.sleep(2000);
            stop.set(true);
            for (int i = 1; i < SESSIONS; i += 2) {
                assertNull(results.get(i).get(60, TimeUnit.SECONDS), "survivor " + i);
                assertTrue(sessions.get(i).ops() > opsAtVanish[i], "survivor " + i + " kept working");
            }
            for (int i = 0; i < SESSIONS; i += 2) {
                String r = results.get(i).get(60, TimeUnit.SECONDS);
                assertTrue(r == null || r.startsWith("io:"), "vanished session " + i + " saw " + r);
            }
            pool.shutdown();
            assertEquals(SESSIONS / 2, server.sessionCount());
            for (int i = 1; i < SESSIONS; i += 2) {
                sessions.get(i).close();
            }
            NetworkFuzzTest.awaitSessions(server, 0);
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
            NetworkFuzzTest.awaitThreads(baselineThreads);
            long heapAfter = NetworkFuzzTest.usedHeapAfterGc();
            assertTrue(heapAfter < heapBefore + (32L << 20), "heap grew " + (heapBefore >> 20) + " -> "
                    + (heapAfter >> 20) + " MiB");
            assertEquals(SESSIONS, sessions.size()); // the clients stay reachable until here
        }
    }
}
