package org.remaptarget.remap.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CachingDeviceTest {
    private static final int BS = 512;

    /** Counts device reads and fails reads or writes on request. */
    static final class Watched extends ForwardingDevice {
        final AtomicInteger reads = new AtomicInteger();
        volatile boolean failReads;
        volatile boolean failWrites;

        Watched(BlockDevice inner) {
            super(inner);
        }

        @Override
        public void read(long lba, ByteBuffer dst) throws IOException {
            reads.incrementAndGet();
            if (failReads) {
                throw new IOException("injected read failure at " + lba);
            }
            super.read(lba, dst);
        }

        @Override
        public void write(long lba, ByteBuffer src, boolean fua) throws IOException {
            if (failWrites) {
                // the medium took part of the data before failing
                ByteBuffer half = src.duplicate();
                half.limit(half.position() + BS / 2);
                inner.write(lba, ByteBuffer.wrap(new byte[BS]).put(0, half, 0, BS / 2), fua);
                throw new IOException("injected write failure at " + lba);
            }
            super.write(lba, src, fua);
        }
    }

    private static ByteBuffer block(long seed) {
        return blocks(1, seed);
    }

    private static ByteBuffer blocks(int n, long seed) {
        byte[] b = new byte[n * BS];
        new SplittableRandom(seed).nextBytes(b);
        return ByteBuffer.wrap(b);
    }

    private static ByteBuffer read(BlockDevice d, long lba, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n * BS);
        d.read(lba, b);
        return b.flip();
    }

    @Test
    void aBlockWrittenThroughTheCacheIsReadBackWithoutADeviceRead() throws IOException {
        Watched dev = new Watched(new MemoryBlockDevice(BS, 100));
        CachingDevice c = new CachingDevice(dev, 50, 50, 16);
        c.write(60, block(1), false);
        assertEquals(block(1), read(dev, 60, 1), "the write reached the device");
        int before = dev.reads.get();
        assertEquals(block(1), read(c, 60, 1));
        assertEquals(before, dev.reads.get());
        assertEquals(1, c.hits());
    }

    @Test
    void aBlockReadOnceIsServedFromMemoryAfterwards() throws IOException {
        Watched dev = new Watched(new MemoryBlockDevice(BS, 100));
        dev.write(70, block(2), false);
        CachingDevice c = new CachingDevice(dev, 50, 50, 16);
        assertEquals(block(2), read(c, 70, 1));
        assertEquals(block(2), read(c, 70, 1));
        assertEquals(block(2), read(c, 70, 1));
        assertEquals(1, dev.reads.get());
        assertEquals(2, c.hits());
        assertEquals(1, c.misses());
    }

    @Test
    void blocksOutsideTheRegionAlwaysGoToTheDevice() throws IOException {
        Watched dev = new Watched(new MemoryBlockDevice(BS, 100));
        CachingDevice c = new CachingDevice(dev, 50, 50, 16);
        c.write(10, block(3), false);
        read(c, 10, 1);
        read(c, 10, 1);
        read(c, 48, 4); // straddles the region's start
        read(c, 48, 4);
        assertEquals(4, dev.reads.get());
        assertEquals(0, c.hits());
    }

    @Test
    void aFailedWriteLeavesTheBlockToTheDevice() throws IOException {
        Watched dev = new Watched(new MemoryBlockDevice(BS, 100));
        CachingDevice c = new CachingDevice(dev, 50, 50, 16);
        c.write(55, block(4), false);
        dev.failWrites = true;
        assertThrows(IOException.class, () -> c.write(55, block(5), false));
        dev.failWrites = false;
        int before = dev.reads.get();
        // neither the old data (no longer on the device) nor the new (never fully written) comes from the cache
        assertEquals(read(dev, 55, 1), read(c, 55, 1));
        assertEquals(before + 2, dev.reads.get());
        assertFalse(read(c, 55, 1).equals(block(4)));
    }

    @Test
    void aFailedReadIsNotCached() throws IOException {
        Watched dev = new Watched(new MemoryBlockDevice(BS, 100));
        dev.write(80, block(6), false);
        CachingDevice c = new CachingDevice(dev, 50, 50, 16);
        dev.failReads = true;
        assertThrows(IOException.class, () -> read(c, 80, 1));
        dev.failReads = false;
        assertEquals(block(6), read(c, 80, 1));
        assertEquals(2, dev.reads.get());
    }

    @Test
    void blocksSharingASlotEvictEachOtherAndEachReadsItsOwnData() throws IOException {
        Watched dev = new Watched(new MemoryBlockDevice(BS, 64));
        CachingDevice c = new CachingDevice(dev, 0, 64, 4);
        for (int b = 0; b < 64; b++) {
            c.write(b, block(100 + b), false);
        }
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 2000; i++) {
            int b = r.nextInt(64);
            assertEquals(block(100 + b), read(c, b, 1), "block " + b);
        }
        for (int b = 0; b < 60; b += 3) {
            ByteBuffer got = read(c, b, 4);
            for (int i = 0; i < 4; i++) {
                assertEquals(block(100 + b + i), got.duplicate().position(i * BS).limit((i + 1) * BS).slice(),
                        "block " + (b + i) + " of a 4-block read");
            }
        }
        assertTrue(c.hits() > 0 && c.misses() > 0, c.hits() + " hits, " + c.misses() + " misses");
    }

    @Test
    void aReadMissDoesNotTakeAnotherBlocksSlotButAWriteDoes() throws IOException {
        Watched dev = new Watched(new MemoryBlockDevice(BS, 16));
        dev.write(4, block(4), false);
        CachingDevice c = new CachingDevice(dev, 0, 16, 4, n -> false); // reads never evict
        c.write(0, block(0), false); // slot 0
        assertEquals(block(4), read(c, 4, 1)); // slot 0 too: a miss, read from the device
        assertEquals(block(4), read(c, 4, 1));
        assertEquals(2, dev.reads.get(), "block 4 did not take block 0's slot");
        assertEquals(block(0), read(c, 0, 1));
        assertEquals(2, dev.reads.get(), "block 0 is still served from memory");
        c.write(4, block(44), false); // a write takes the slot
        assertEquals(block(44), read(c, 4, 1));
        assertEquals(2, dev.reads.get());
        assertEquals(block(0), read(c, 0, 1));
        assertEquals(3, dev.reads.get(), "block 0 was evicted by the write");

        Watched dev2 = new Watched(new MemoryBlockDevice(BS, 16));
        CachingDevice always = new CachingDevice(dev2, 0, 16, 4, n -> n == CachingDevice.READ_EVICTS_ONE_IN);
        always.write(0, block(0), false);
        read(always, 4, 1);
        read(always, 4, 1);
        assertEquals(1, dev2.reads.get(), "with eviction on every miss, block 4 took the slot");
    }

    @Test
    void readsBypassTheCacheWhileItMissesAndComeBackWhenItWouldServeThem() throws IOException {
        Watched dev = new Watched(new MemoryBlockDevice(BS, 64));
        AtomicInteger draws = new AtomicInteger();
        // deterministic sampling: windows checked at every lookup, one read in 16 sampled (and one eviction in 16)
        CachingDevice c = new CachingDevice(dev, 0, 64, 4, n -> n == 64 || n == 16 && draws.incrementAndGet() % 16 == 0);
        int reads = 0;
        for (int i = 0; i < 3 * CachingDevice.WINDOW; i++) { // 16 blocks per slot in turn: mostly misses
            read(c, i % 64, 1);
            reads++;
        }
        assertTrue(c.hits() * 4 < c.misses(), c.hits() + " hits, " + c.misses() + " misses");
        assertTrue(c.bypassingReads(), "a window of mostly misses turns the cache off for reads");
        assertEquals(reads - c.hits(), dev.reads.get());
        long lookups = c.hits() + c.misses();
        for (int i = 0; i < 1600; i++) {
            read(c, i % 64, 1);
        }
        long sampled = c.hits() + c.misses() - lookups;
        assertTrue(sampled > 0 && sampled <= 1600 / 8, "only samples are looked up while bypassing: " + sampled);

        c.write(5, block(5), false); // now a block that is read again and again is cached
        int before = dev.reads.get();
        int n = 0;
        while (c.bypassingReads() && n < 40 * CachingDevice.WINDOW) {
            assertEquals(block(5), read(c, 5, 1));
            n++;
        }
        assertTrue(!c.bypassingReads(), "sampled hits turned reads back on after " + n + " reads");
        int served = dev.reads.get();
        assertTrue(served - before < n, "samples were served from memory meanwhile");
        for (int i = 0; i < 100; i++) {
            assertEquals(block(5), read(c, 5, 1));
        }
        assertEquals(served, dev.reads.get(), "every read of the cached block is a hit again");
    }

    @Test
    void aColdCacheFillingEmptySlotsKeepsServingReads() throws IOException {
        Watched dev = new Watched(new MemoryBlockDevice(BS, 8192));
        CachingDevice c = new CachingDevice(dev, 0, 8192, 4096, n -> n == 64); // every lookup checks its window
        for (int b = 0; b < 3000; b++) {
            read(c, b, 1); // all misses, each into an empty slot
        }
        assertEquals(3000, c.misses());
        assertTrue(!c.bypassingReads(), "misses into empty slots do not turn the cache off");
        for (int b = 0; b < 3000; b++) {
            read(c, b, 1);
        }
        assertEquals(3000, c.hits());
        assertEquals(3000, dev.reads.get());
    }

    @Test
    void multiBlockReadsAreServedWhenEveryBlockIsCached() throws IOException {
        Watched dev = new Watched(new MemoryBlockDevice(BS, 400));
        CachingDevice c = new CachingDevice(dev, 0, 400, 256);
        ByteBuffer data = blocks(8, 9);
        c.write(124, data.duplicate(), false); // slots 124..131: across the boundary of two 64 KiB chunks
        int before = dev.reads.get();
        assertEquals(data, read(c, 124, 8));
        assertEquals(before, dev.reads.get());
        c.write(128, block(10), false); // one block of the eight changes
        ByteBuffer expect = data.duplicate();
        expect.put(4 * BS, block(10), 0, BS);
        assertEquals(expect, read(c, 124, 8));
        assertEquals(before, dev.reads.get());
    }

    @Test
    void requestsLargerThanTheLimitPassThroughAndDropWhatTheyOverwrite() throws IOException {
        int n = CachingDevice.MAX_CACHED_BLOCKS + 1;
        Watched dev = new Watched(new MemoryBlockDevice(BS, 200));
        CachingDevice c = new CachingDevice(dev, 0, 200, 128);
        c.write(30, block(11), false);
        c.write(0, blocks(n, 12), false);
        assertEquals(blocks(n, 12).position(30 * BS).limit(31 * BS).slice(), read(c, 30, 1));
        int before = dev.reads.get();
        read(c, 0, n);
        assertEquals(before + 1, dev.reads.get());
    }

    @Test
    void discardDropsTheBlock() throws IOException {
        Watched dev = new Watched(new MemoryBlockDevice(BS, 100));
        CachingDevice c = new CachingDevice(dev, 50, 50, 16);
        c.write(90, block(13), false);
        c.discard(88, 4);
        assertEquals(ByteBuffer.allocate(BS), read(c, 90, 1), "a discarded block of a memory device reads zeros");
    }

    @Test
    void aZeroSizedCacheIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new CachingDevice(new MemoryBlockDevice(BS, 10), 0, 10, 0));
    }

    /**
     * One writer per block, each writing increasing versions, readers on every block, a cache smaller than the
     * blocks: a read never returns a version older than one whose write had returned before the read began, nor one
     * whose write had not begun when it ended. Afterwards the cache and the device agree on every block.
     */
    @Test
    void readsNeverGoBackInTimeUnderConcurrentWritesAndEvictions() throws Exception {
        int blocks = 24;
        int rounds = 3000;
        MemoryBlockDevice mem = new MemoryBlockDevice(BS, blocks);
        CachingDevice c = new CachingDevice(mem, 0, blocks, 7);
        AtomicLongArray started = new AtomicLongArray(blocks);
        AtomicLongArray done = new AtomicLongArray(blocks);
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            int first = w;
            tasks.add(() -> {
                for (long v = 1; v <= rounds; v++) {
                    for (int b = first; b < blocks; b += 3) {
                        started.set(b, v);
                        c.write(b, versioned(b, v), false);
                        done.set(b, v);
                    }
                }
                return null;
            });
        }
        for (int r = 0; r < 3; r++) {
            long seed = r;
            tasks.add(() -> {
                SplittableRandom rnd = new SplittableRandom(seed);
                for (int i = 0; i < rounds * 8; i++) {
                    int b = rnd.nextInt(blocks);
                    long low = done.get(b);
                    ByteBuffer got = read(c, b, 1);
                    long high = started.get(b);
                    long v = got.getLong(8);
                    if (v != 0 || low != 0) {
                        assertEquals(b, got.getLong(0), "block " + b + " holds another block's data");
                    }
                    assertTrue(v >= low && v <= high, "block " + b + " read version " + v + ", expected " + low
                            + ".." + high);
                }
                return null;
            });
        }
        runTogether(tasks, 120);
        for (int b = 0; b < blocks; b++) {
            assertEquals(read(mem, b, 1), read(c, b, 1), "block " + b);
            assertEquals(rounds, read(c, b, 1).getLong(8));
        }
        assertTrue(c.hits() > 0, "the readers were served from the cache at times");
    }

    /** Two writers racing on the same blocks: afterwards every block the cache returns is what the device holds. */
    @Test
    void racingWritersOfTheSameBlocksLeaveTheCacheAgreeingWithTheDevice() throws Exception {
        int blocks = 8;
        MemoryBlockDevice mem = new MemoryBlockDevice(BS, blocks);
        CachingDevice c = new CachingDevice(mem, 0, blocks, blocks);
        for (int trial = 0; trial < 200; trial++) {
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                long tag = trial * 2L + w;
                tasks.add(() -> {
                    for (int i = 0; i < 20; i++) {
                        for (int b = 0; b < blocks; b++) {
                            c.write(b, versioned(b, tag * 100 + i), false);
                        }
                    }
                    return null;
                });
            }
            tasks.add(() -> {
                for (int i = 0; i < 100; i++) {
                    read(c, i % blocks, 1);
                }
                return null;
            });
            runTogether(tasks, 60);
            for (int b = 0; b < blocks; b++) {
                ByteBuffer onDevice = read(mem, b, 1);
                ByteBuffer served = read(c, b, 1);
                assertEquals(onDevice, served, "trial " + trial + ", block " + b + ": device holds version "
                        + onDevice.getLong(8) + ", the cache served " + served.getLong(8));
            }
        }
    }

    /**
     * Holds device calls at chosen points: a write of version 1 waits before it reaches the medium, a write of
     * version 2 waits after; a read waits after it read.
     */
    static final class Gates extends ForwardingDevice {
        final CountDownLatch firstEntered = new CountDownLatch(1);
        final CountDownLatch releaseFirst = new CountDownLatch(1);
        final CountDownLatch secondApplied = new CountDownLatch(1);
        final CountDownLatch releaseSecond = new CountDownLatch(1);
        final CountDownLatch readDone = new CountDownLatch(1);
        final CountDownLatch releaseRead = new CountDownLatch(1);
        volatile boolean holdReads;

        Gates(BlockDevice inner) {
            super(inner);
        }

        @Override
        public void write(long lba, ByteBuffer src, boolean fua) throws IOException {
            long version = src.getLong(src.position() + 8);
            if (version == 1) {
                firstEntered.countDown();
                await(releaseFirst);
            }
            super.write(lba, src, fua);
            if (version == 2) {
                secondApplied.countDown();
                await(releaseSecond);
            }
        }

        @Override
        public void read(long lba, ByteBuffer dst) throws IOException {
            super.read(lba, dst);
            if (holdReads) {
                readDone.countDown();
                await(releaseRead);
            }
        }

        private static void await(CountDownLatch l) throws IOException {
            try {
                if (!l.await(30, TimeUnit.SECONDS)) {
                    throw new IOException("test gate not released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
    }

    /**
     * Write 1 is held before the medium; write 2 starts and reaches the medium; write 1 then lands over it. The
     * medium holds 1 whichever write returns first, so the cache must not keep 2: not when write 2 returns while
     * write 1 is still in flight, nor when it returns last.
     */
    @ParameterizedTest(name = "write 2 returns {0}")
    @ValueSource(strings = {"first", "last"})
    void aWriteThatOverlappedAnotherDoesNotFillTheCache(String secondReturns) throws Exception {
        MemoryBlockDevice mem = new MemoryBlockDevice(BS, 8);
        Gates g = new Gates(mem);
        CachingDevice c = new CachingDevice(g, 0, 8, 8);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> first = pool.submit(() -> {
                c.write(3, versioned(3, 1), false);
                return null;
            });
            assertTrue(g.firstEntered.await(30, TimeUnit.SECONDS));
            Future<?> second = pool.submit(() -> {
                c.write(3, versioned(3, 2), false);
                return null;
            });
            assertTrue(g.secondApplied.await(30, TimeUnit.SECONDS));
            if (secondReturns.equals("first")) {
                g.releaseSecond.countDown();
                second.get(30, TimeUnit.SECONDS);
                g.releaseFirst.countDown();
                first.get(30, TimeUnit.SECONDS);
            } else {
                g.releaseFirst.countDown();
                first.get(30, TimeUnit.SECONDS);
                g.releaseSecond.countDown();
                second.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, read(mem, 3, 1).getLong(8), "the medium holds the write that landed last");
        assertEquals(1, read(c, 3, 1).getLong(8));
    }

    /** A read that got the old data before a write finished does not put that old data into the cache afterwards. */
    @Test
    void aReadOverlappedByAWriteDoesNotFillTheCache() throws Exception {
        MemoryBlockDevice mem = new MemoryBlockDevice(BS, 8);
        mem.write(5, versioned(5, 7), false);
        Gates g = new Gates(mem);
        CachingDevice c = new CachingDevice(g, 0, 8, 8);
        g.holdReads = true;
        ExecutorService pool = Executors.newFixedThreadPool(1);
        try {
            Future<ByteBuffer> r = pool.submit(() -> read(c, 5, 1));
            assertTrue(g.readDone.await(30, TimeUnit.SECONDS));
            g.holdReads = false;
            c.write(5, versioned(5, 8), false);
            g.releaseRead.countDown();
            assertEquals(7, r.get(30, TimeUnit.SECONDS).getLong(8), "the read returns what it read");
        } finally {
            pool.shutdownNow();
        }
        assertEquals(8, read(c, 5, 1).getLong(8));
        assertEquals(8, read(c, 5, 1).getLong(8));
    }

    /** Starts every task at the same moment on its own thread and waits for all (failures rethrown). */
    private static void runTogether(List<Callable<Void>> tasks, int seconds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Void>> fs = new ArrayList<>();
            for (Callable<Void> t : tasks) {
                fs.add(pool.submit(() -> {
                    go.await();
                    return t.call();
                }));
            }
            go.countDown();
            for (Future<Void> f : fs) {
                f.get(seconds, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** A block whose first long is its LBA and second long a version. */
    private static ByteBuffer versioned(long lba, long version) {
        ByteBuffer b = ByteBuffer.allocate(BS);
        b.putLong(0, lba).putLong(8, version);
        return b;
    }
}
