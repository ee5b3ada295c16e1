package org.remaptarget.target.scsi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.remaptarget.target.lun.LunSettings;

/**
 * COMPARE AND WRITE is atomic across sessions: two nexuses race, with real threads, to swap the same block from the
 * same old value to different new values; exactly one wins every round, and a plain WRITE racing a COMPARE AND WRITE
 * never lands between its compare and its write.
 */
class CompareAndWriteRaceTest {
    private static final int ROUNDS = 1000;

    private static byte[] caw(long lba) {
        byte[] c = new byte[16];
        c[0] = (byte) 0x89;
        Harness.put(c, 2, lba, 8);
        c[13] = 1;
        return c;
    }

    private static byte[] block(int value) {
        byte[] b = new byte[512];
        java.util.Arrays.fill(b, (byte) value);
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] d = new byte[a.length + b.length];
        System.arraycopy(a, 0, d, 0, a.length);
        System.arraycopy(b, 0, d, a.length, b.length);
        return d;
    }

    @Test
    void twoSessionsRacingCompareAndWriteOnOneBlockHaveExactlyOneWinnerEachRound() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Harness h = new Harness(LunSettings.defaults(Harness.IQN, 0), pool);
            for (int round = 0; round < ROUNDS; round++) {
                int old = round % 200;
                assertEquals(ScsiResult.GOOD, submit(h, h.a, Harness.rw10(0x2A, 0, 5, 1), block(old)).status());
                CountDownLatch go = new CountDownLatch(1);
                AtomicReference<ScsiResult> ra = new AtomicReference<>();
                AtomicReference<ScsiResult> rb = new AtomicReference<>();
                Thread ta = new Thread(() -> {
                    await(go);
                    ra.set(submit(h, h.a, caw(5), concat(block(old), block(201))));
                });
                Thread tb = new Thread(() -> {
                    await(go);
                    rb.set(submit(h, h.b, caw(5), concat(block(old), block(202))));
                });
                ta.start();
                tb.start();
                go.countDown();
                ta.join(10_000);
                tb.join(10_000);
                int wins = (ra.get().status() == ScsiResult.GOOD ? 1 : 0) + (rb.get().status() == ScsiResult.GOOD ? 1 : 0);
                assertEquals(1, wins, "round " + round);
                ScsiResult loser = ra.get().status() == ScsiResult.GOOD ? rb.get() : ra.get();
                assertEquals(0x0E, loser.sense()[2] & 0x0F, "MISCOMPARE");
                byte[] now = Harness.data(submit(h, h.a, Harness.rw10(0x28, 0, 5, 1), null));
                assertArrayEquals(block(ra.get().status() == ScsiResult.GOOD ? 201 : 202), now, "round " + round);
            }
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(5, TimeUnit.SECONDS));
        }
    }

    private static void await(CountDownLatch l) {
        try {
            l.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ScsiResult submit(Harness h, Nexus n, byte[] cdb, byte[] out) {
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<ScsiResult> r = new AtomicReference<>();
        ScsiTask t = h.task(n, 0, cdb, out, TaskAttribute.SIMPLE, res -> {
            r.set(res);
            done.countDown();
        });
        h.core.submit(t);
        try {
            assertTrue(done.await(10, TimeUnit.SECONDS), "command did not complete");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return r.get();
    }
}
