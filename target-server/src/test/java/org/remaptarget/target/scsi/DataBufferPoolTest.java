package org.remaptarget.target.scsi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class DataBufferPoolTest {
    private static final int K64 = 64 * 1024;

    @Test
    void aBufferIsDirectAndLimitedToTheRequestedLengthInTheNextPowerOfTwoClass() {
        DataBufferPool pool = new DataBufferPool(K64, 1 << 20, 4L << 20);
        PooledBuffer b = pool.acquire(100_000);
        assertTrue(b.buffer().isDirect());
        assertEquals(0, b.buffer().position());
        assertEquals(100_000, b.buffer().limit());
        assertEquals(128 * 1024, b.buffer().capacity());
    }

    @Test
    void aReleasedBufferIsReusedWithoutANewAllocation() {
        DataBufferPool pool = new DataBufferPool(K64, 1 << 20, 4L << 20);
        PooledBuffer first = pool.acquire(K64);
        ByteBuffer raw = first.buffer();
        first.release();
        PooledBuffer again = pool.acquire(1000);
        assertSame(raw, again.buffer());
        assertEquals(1000, again.buffer().limit());
        assertEquals(1, pool.allocations());
    }

    @Test
    void twoOutstandingLeasesNeverShareABuffer() {
        DataBufferPool pool = new DataBufferPool(K64, 1 << 20, 4L << 20);
        pool.acquire(K64).release();
        PooledBuffer a = pool.acquire(K64);
        PooledBuffer b = pool.acquire(K64);
        assertNotSame(a.buffer(), b.buffer());
    }

    @Test
    void releasingTwiceReturnsTheBufferOnlyOnce() {
        DataBufferPool pool = new DataBufferPool(K64, 1 << 20, 4L << 20);
        PooledBuffer a = pool.acquire(K64);
        a.release();
        a.release();
        assertTrue(a.isReleased());
        assertEquals(K64, pool.idleBytes());
        PooledBuffer x = pool.acquire(K64);
        PooledBuffer y = pool.acquire(K64);
        assertNotSame(x.buffer(), y.buffer(), "a double release must not let two leases hold one buffer");
    }

    @Test
    void idleBytesNeverExceedTheBound() {
        DataBufferPool pool = new DataBufferPool(K64, 2 * K64, 6L * K64); // 3 x 64 KiB + 1 x 128 KiB slots (half each)
        List<PooledBuffer> leases = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            leases.add(pool.acquire(K64));
            leases.add(pool.acquire(2 * K64));
        }
        for (PooledBuffer l : leases) {
            l.release();
            assertTrue(pool.idleBytes() <= 6L * K64, "idle " + pool.idleBytes());
        }
        assertEquals(5L * K64, pool.idleBytes());
    }

    @Test
    void largeBuffersDoNotCrowdSmallOnesOutOfThePool() {
        DataBufferPool pool = new DataBufferPool(K64, 4 * K64, 12L * K64); // 6, 3 and 1 slots (half the bound each)
        List<PooledBuffer> big = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            big.add(pool.acquire(4 * K64));
        }
        big.forEach(PooledBuffer::release);
        PooledBuffer small = pool.acquire(K64);
        small.release();
        long before = pool.allocations();
        pool.acquire(K64);
        assertEquals(before, pool.allocations(), "the small buffer was kept");
    }

    @Test
    void aRequestAboveTheLargestClassIsNotServed() {
        DataBufferPool pool = new DataBufferPool(K64, 1 << 20, 4L << 20);
        assertNull(pool.acquire((1 << 20) + 1));
        assertEquals(0, pool.allocations());
    }

    @Test
    void concurrentBorrowersNeverHoldTheSameBufferAtOnce() throws Exception {
        DataBufferPool pool = new DataBufferPool(K64, 4 * K64, 4L << 20);
        Set<ByteBuffer> held = Collections.newSetFromMap(Collections.synchronizedMap(new IdentityHashMap<>()));
        AtomicReference<String> failure = new AtomicReference<>();
        AtomicInteger rounds = new AtomicInteger();
        int threads = 4;
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            int seed = t;
            Thread th = new Thread(() -> {
                try {
                    for (int i = 0; i < 5_000; i++) {
                        PooledBuffer b = pool.acquire(K64 << ((i + seed) % 3));
                        if (!held.add(b.buffer())) {
                            failure.compareAndSet(null, "buffer handed out twice at round " + i);
                        }
                        b.buffer().put(0, (byte) seed);
                        if (b.buffer().get(0) != (byte) seed) {
                            failure.compareAndSet(null, "buffer written by another borrower");
                        }
                        held.remove(b.buffer());
                        b.release();
                        rounds.incrementAndGet();
                    }
                } finally {
                    done.countDown();
                }
            });
            th.start();
        }
        assertTrue(done.await(30, TimeUnit.SECONDS));
        assertNull(failure.get(), failure.get());
        assertEquals(threads * 5_000, rounds.get());
        assertTrue(pool.idleBytes() <= 4L << 20);
        assertFalse(pool.allocations() > threads * 3L, "the pool reuses: " + pool.allocations());
    }
}
