package org.remaptarget.target.lun;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The striped LBA-range locks: overlapping ranges exclude each other, disjoint regions do not. */
class RangeLocksTest {
    private final RangeLocks locks = new RangeLocks(16, 3);

    private boolean acquiredFromAnotherThread(long lba, long blocks) throws InterruptedException {
        AtomicBoolean got = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            try (RangeLocks.Held h = locks.lock(lba, blocks)) {
                got.set(true);
            }
            done.countDown();
        });
        t.setDaemon(true);
        t.start();
        done.await(300, TimeUnit.MILLISECONDS);
        return got.get();
    }

    @Test
    void anOverlappingRangeWaitsForTheHolder() throws Exception {
        try (RangeLocks.Held h = locks.lock(10, 4)) {
            assertFalse(acquiredFromAnotherThread(12, 1));
        }
    }

    @Test
    void aRangeInAnotherRegionProceeds() throws Exception {
        try (RangeLocks.Held h = locks.lock(0, 8)) {
            assertTrue(acquiredFromAnotherThread(8, 8));
        }
    }

    @Test
    void aRangeCoveringEveryStripeExcludesEveryOtherRange() throws Exception {
        try (RangeLocks.Held h = locks.lock(0, 1000)) {
            assertFalse(acquiredFromAnotherThread(5000, 1));
        }
        assertTrue(acquiredFromAnotherThread(5000, 1));
    }

    @Test
    void locksAreReleasedSoTheNextHolderGetsThem() throws Exception {
        locks.lock(100, 50).close();
        assertTrue(acquiredFromAnotherThread(120, 10));
    }
}
