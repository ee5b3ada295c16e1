package org.remaptarget.target.scsi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The task set under real concurrency: a random mix of SIMPLE, ORDERED and HEAD OF QUEUE tasks (fixed seed). */
class TaskSetOrderingTest {
    private static final int TASKS = 2000;

    @Test
    void orderedTasksNeverOverlapEarlierOrLaterTasksAndEveryTaskCompletesOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            TaskSet set = new TaskSet(pool);
            Nexus n = new Nexus("iqn.x:i", 1, "iqn.x:t", 1, 1);
            AtomicLong clock = new AtomicLong();
            long[] start = new long[TASKS];
            long[] end = new long[TASKS];
            TaskAttribute[] attrs = new TaskAttribute[TASKS];
            AtomicInteger[] completions = new AtomicInteger[TASKS];
            CountDownLatch done = new CountDownLatch(TASKS);
            Random rnd = new Random(7);
            for (int i = 0; i < TASKS; i++) {
                int r = rnd.nextInt(20);
                attrs[i] = r == 0 ? TaskAttribute.ORDERED : r == 1 ? TaskAttribute.HEAD_OF_QUEUE : TaskAttribute.SIMPLE;
                completions[i] = new AtomicInteger();
                int idx = i;
                ScsiTask t = new ScsiTask(n, 0, new byte[6], attrs[i], i, 0, false, false, null, 0, res -> {
                    completions[idx].incrementAndGet();
                    done.countDown();
                });
                set.admit(t, () -> {
                    start[idx] = clock.incrementAndGet();
                    Thread.onSpinWait();
                    end[idx] = clock.incrementAndGet();
                    t.complete(ScsiResult.good());
                });
            }
            assertTrue(done.await(30, TimeUnit.SECONDS));
            for (int i = 0; i < TASKS; i++) {
                assertEquals(1, completions[i].get(), "task " + i);
                if (attrs[i] != TaskAttribute.ORDERED) {
                    continue;
                }
                for (int j = 0; j < i; j++) {
                    assertTrue(end[j] < start[i], "earlier task " + j + " finished before ordered " + i);
                }
                for (int j = i + 1; j < TASKS; j++) {
                    if (attrs[j] != TaskAttribute.HEAD_OF_QUEUE) {
                        assertTrue(start[j] > end[i], "later task " + j + " started after ordered " + i);
                    }
                }
            }
            assertEquals(0, set.size());
        } finally {
            pool.shutdown();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
    }
}
