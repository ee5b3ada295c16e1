package org.remaptarget.target.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** SIGHUP handling: reloads run one at a time on their own thread, and signals pile up into one queued reload. */
class ReloadOnHangupTest {

    private static void awaitCount(AtomicInteger n, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (n.get() < expected && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    @Test
    void signalsArrivingWhileAReloadRunsFoldIntoOneMoreReload() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        List<String> threads = new CopyOnWriteArrayList<>();
        try (ReloadOnHangup h = new ReloadOnHangup(() -> {
            threads.add(Thread.currentThread().getName());
            runs.incrementAndGet();
            started.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        })) {
            h.signalled();
            assertTrue(started.await(10, TimeUnit.SECONDS));
            h.signalled();
            h.signalled();
            h.signalled();
            release.countDown();
            awaitCount(runs, 2);
            Thread.sleep(100);   // a third run, if wrongly queued, would have started by now
            assertEquals(2, runs.get());
            assertEquals(List.of("config-reload", "config-reload"), threads);
        }
    }

    @Test
    void aReloadThatThrowsDoesNotStopTheNextOne() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        try (ReloadOnHangup h = new ReloadOnHangup(() -> {
            if (runs.incrementAndGet() == 1) {
                throw new IllegalStateException("first reload fails");
            }
        })) {
            h.signalled();
            awaitCount(runs, 1);
            Thread.sleep(50);
            h.signalled();
            awaitCount(runs, 2);
            assertEquals(2, runs.get());
        }
    }
}
