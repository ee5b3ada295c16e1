package org.remaptarget.target.robustness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.remaptarget.target.api.RemapTarget;
import org.remaptarget.target.pdu.DecodeResult;
import org.remaptarget.target.pdu.LoginRequestPdu;
import org.remaptarget.target.pdu.PduDecoder;
import org.remaptarget.target.pdu.PduEncoder;
import org.remaptarget.target.testing.Fuzzer;
import org.remaptarget.target.testing.VerifiedIo;

/**
 * At least 100,000 mutated PDUs (fuzz/pdu corpus, fixed seed per connection) sent by several connections at a live
 * in-process server, half of them after a valid login (full feature phase) and some during login, while a
 * test-initiator session does verified I/O alongside. The server neither crashes nor stalls the good session;
 * every fuzzing connection is answered with a Reject or closed (or gets ordinary responses); afterwards sessions,
 * threads and heap return to their baseline.
 */
class NetworkFuzzTest {
    static final String IQN = "iqn.2026-11.org.remaptarget:netfuzz";
    static final int FUZZERS = 4;
    static final long TARGET_PDUS = Long.getLong("netfuzz.pdus", 100_000);
    static final long MAX_MILLIS = Long.getLong("netfuzz.millis", 60_000);

    @Test
    void hundredThousandMutatedPdusNeitherCrashNorStallAGoodSession() throws Exception {
        try (RemapTarget server = RemapTarget.builder().ioThreads(4).target(IQN).memoryLun(0, 16L << 20).and()
                .start()) {
            InetSocketAddress portal = new InetSocketAddress("127.0.0.1", server.port());
            // warm up: one session in and out, so lazily started threads belong to the baseline
            try (VerifiedIo warm = new VerifiedIo(portal, IQN, "iqn.2026-11.org.example:warm", 0x80_0000_0001L, 0,
                    64, 1)) {
                assertNull(warm.step());
            }
            awaitSessions(server, 0);
            int baselineThreads = settledThreadCount();
            long baselineHeap = usedHeapAfterGc();

            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong sent = new AtomicLong();
            AtomicLong rejects = new AtomicLong();
            AtomicLong closes = new AtomicLong();
            AtomicLong connectionsOpened = new AtomicLong();
            AtomicLong silent = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(FUZZERS + 1);
            Future<String> good = pool.submit(() -> {
                try (VerifiedIo io = new VerifiedIo(portal, IQN, "iqn.2026-11.org.example:good", 0x80_0000_0002L,
                        1024, 2048, 42)) {
                    while (!stop.get()) {
                        String problem = io.step();
                        if (problem != null) {
                            return problem;
                        }
                    }
                    return io.ops() > 10 ? null : "only " + io.ops() + " verified operations";
                }
            });
            List<Future<?>> fuzzers = new ArrayList<>();
            long deadline = System.nanoTime() + MAX_MILLIS * 1_000_000L;
            for (int i = 0; i < FUZZERS; i++) {
                int id = i;
                fuzzers.add(pool.submit(() -> {
                    Fuzzer f = new Fuzzer(0x5eed_1000L + id, Fuzzer.corpus("pdu"), 70_000);
                    while (sent.get() < TARGET_PDUS && System.nanoTime() < deadline) {
                        boolean login = f.random().nextInt(8) != 0;
                        connectionsOpened.incrementAndGet();
                        Outcome o = fuzzOneConnection(portal, f, login, id, sent);
                        switch (o) {
                            case REJECTED -> rejects.incrementAndGet();
                            case CLOSED -> closes.incrementAndGet();
                            default -> silent.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> fz : fuzzers) {
                fz.get(MAX_MILLIS + 30_000, TimeUnit.MILLISECONDS);
            }
            stop.set(true);
            String goodResult = good.get(60, TimeUnit.SECONDS);
            pool.shutdown();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
            System.out.printf("network fuzz: %d PDUs over %d connections: %d rejected, %d closed, %d silent%n",
                    sent.get(), connectionsOpened.get(), rejects.get(), closes.get(), silent.get());
            assertNull(goodResult, "the good session kept verifying its data");
            assertTrue(sent.get() >= TARGET_PDUS, "sent " + sent.get() + " mutated PDUs in the time allowed");
            assertTrue(rejects.get() + closes.get() > 0, "bad PDUs were rejected or closed connections");
            assertTrue(silent.get() * 4 < connectionsOpened.get(), silent + " of " + connectionsOpened
                    + " fuzzing connections got neither a Reject nor a close");

            awaitSessions(server, 0);
            awaitThreads(baselineThreads);
            long heap = usedHeapAfterGc();
            assertTrue(heap < baselineHeap + (64L << 20), "heap grew from " + (baselineHeap >> 20) + " MiB to "
                    + (heap >> 20) + " MiB");
            // and the server still serves new sessions
            try (VerifiedIo after = new VerifiedIo(portal, IQN, "iqn.2026-11.org.example:after", 0x80_0000_0003L,
                    4096, 256, 7)) {
                assertNull(after.step());
            }
        }
    }

    enum Outcome { REJECTED, CLOSED, SILENT }

    /** One connection: optionally a valid login, then mutated PDUs in batches, draining replies. */
    private static Outcome fuzzOneConnection(InetSocketAddress portal, Fuzzer f, boolean login, int id,
                                             AtomicLong sent) throws IOException {
        try (Socket s = new Socket(portal.getAddress(), portal.getPort())) {
            s.setTcpNoDelay(true);
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            Drain drain = new Drain(in);
            if (login) {
                String keys = "InitiatorName=iqn.2026-11.org.example:fuzz" + id + "\0TargetName=" + IQN
                        + "\0SessionType=Normal\0HeaderDigest=None\0DataDigest=None\0";
                out.write(PduEncoder.toBytes(new LoginRequestPdu(true, false, 1, 3, 0, 0,
                        0x80_0000_1000L + id, 0, 1, 0, 0, 0, keys.getBytes(StandardCharsets.UTF_8)), false, false));
                out.flush();
                if (!drain.awaitOne()) {
                    return Outcome.CLOSED;
                }
            }
            int pdus = 1 + f.random().nextInt(64);
            for (int i = 0; i < pdus; i++) {
                byte[] p = f.next();
                try {
                    out.write(p);
                    out.flush();
                } catch (IOException e) {
                    return Outcome.CLOSED; // the target closed the connection
                }
                sent.incrementAndGet();
                drain.poll();
                if (drain.closed) {
                    return Outcome.CLOSED;
                }
            }
            // a complete NOP-Out after the junk shows whether the connection is still alive and answering
            s.shutdownOutput();
            drain.untilClosed(3000);
            return drain.rejects > 0 ? Outcome.REJECTED : drain.closed ? Outcome.CLOSED : Outcome.SILENT;
        }
    }

    /** Reads whatever the target sends, counting Reject PDUs and noticing the close. */
    private static final class Drain {
        private final InputStream in;
        private final PduDecoder decoder = new PduDecoder(16 << 20);
        private final ByteBuffer buf = ByteBuffer.allocate(1 << 20);
        int rejects;
        boolean closed;

        Drain(InputStream in) {
            this.in = in;
        }

        boolean awaitOne() throws IOException {
            long end = System.currentTimeMillis() + 5000;
            int before = count;
            while (!closed && count == before && System.currentTimeMillis() < end) {
                read(500);
            }
            return !closed && count > before;
        }

        private int count;

        void poll() throws IOException {
            if (in.available() > 0) {
                read(1);
            }
        }

        void untilClosed(long millis) throws IOException {
            long end = System.currentTimeMillis() + millis;
            while (!closed && System.currentTimeMillis() < end) {
                read(200);
            }
        }

        private void read(int timeout) throws IOException {
            try {
                java.net.Socket dummy = null;
                int n;
                byte[] tmp = new byte[65536];
                n = readWithTimeout(tmp, timeout);
                if (n < 0) {
                    closed = true;
                    return;
                }
                if (n == 0) {
                    return;
                }
                if (buf.remaining() < n) {
                    buf.clear(); // decoding is best effort for counting; never grow without bound
                }
                buf.put(tmp, 0, n);
                buf.flip();
                while (true) {
                    DecodeResult r = decoder.decode(buf);
                    if (r instanceof DecodeResult.Decoded d) {
                        count++;
                        if ((d.header()[0] & 0x3f) == 0x3f) {
                            rejects++;
                        }
                    } else if (r instanceof DecodeResult.Failed) {
                        buf.clear();
                        buf.flip();
                        break;
                    } else {
                        break;
                    }
                }
                buf.compact();
            } catch (java.net.SocketException e) {
                closed = true;
            }
        }

        private int readWithTimeout(byte[] tmp, int timeout) throws IOException {
            long end = System.currentTimeMillis() + timeout;
            while (true) {
                try {
                    return in.read(tmp);
                } catch (java.net.SocketTimeoutException e) {
                    if (System.currentTimeMillis() >= end) {
                        return 0;
                    }
                }
            }
        }
    }

    static void awaitSessions(RemapTarget server, int n) throws InterruptedException {
        long end = System.currentTimeMillis() + 15_000;
        while (server.sessionCount() != n && System.currentTimeMillis() < end) {
            Thread.sleep(50);
        }
        assertEquals(n, server.sessionCount(), "sessions left over");
    }

    /** Live threads, not counting the SCSI I/O pool (a fixed pool that starts its threads lazily). */
    static int nonPoolThreads() {
        int n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && !t.getName().startsWith("scsi-io")) {
                n++;
            }
        }
        return n;
    }

    static int settledThreadCount() throws InterruptedException {
        int last = -1;
        for (int i = 0; i < 20; i++) {
            int now = nonPoolThreads();
            if (now == last) {
                return now;
            }
            last = now;
            Thread.sleep(100);
        }
        return last;
    }

    /** Waits for the thread count (pool excluded) to return to the baseline; the test's own pool is gone by then. */
    static void awaitThreads(int baseline) throws InterruptedException {
        long end = System.currentTimeMillis() + 15_000;
        while (nonPoolThreads() > baseline && System.currentTimeMillis() < end) {
            Thread.sleep(100);
        }
        List<String> names = Thread.getAllStackTraces().keySet().stream().map(Thread::getName).sorted().toList();
        assertTrue(nonPoolThreads() <= baseline, "threads: " + nonPoolThreads() + " vs baseline " + baseline
                + ": " + names);
    }

    static long usedHeapAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
