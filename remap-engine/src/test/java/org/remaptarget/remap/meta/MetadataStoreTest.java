package org.remaptarget.remap.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.remaptarget.remap.device.BlockDevice;
import org.remaptarget.remap.device.ForwardingDevice;
import org.remaptarget.remap.device.MemoryBlockDevice;
import org.remaptarget.remap.device.RegionDevice;
import org.remaptarget.remap.engine.TestRemapTable;
import org.remaptarget.remap.spare.SpareAllocator;

class MetadataStoreTest {
    private static final int BS = 512;
    private static final Layout LAYOUT = Layout.compute(BS, 100, 40, false);
    private final UUID lun = UUID.randomUUID();
    private final MemoryBlockDevice dev = new MemoryBlockDevice(BS, LAYOUT.backingBlocks());

    private Superblock format() throws IOException {
        Superblock sb = new Superblock(Superblock.VERSION, Superblock.Role.VOLUME, lun, UUID.randomUUID(),
                UUID.randomUUID(), 1, LAYOUT);
        VolumeHeaders.format(dev, null, sb);
        return sb;
    }

    private MetadataStore open(BlockDevice d) throws IOException {
        Superblock sb = VolumeHeaders.readSuperblock(d, "dev", false);
        RemapState st = new RemapState(new TestRemapTable(), new SpareAllocator(LAYOUT.spareBlocks()),
                LAYOUT.dataBlocks(), LAYOUT.spareBlocks());
        return MetadataStore.recover(new RegionDevice(d, 0, LAYOUT.metaBlocks(), "meta"), List.of(d), sb, st, "dev");
    }

    private MetadataStore open() throws IOException {
        return open(dev);
    }

    private static void map(MetadataStore s, long lba) throws IOException {
        long spare = s.state().spares().allocate();
        s.commit(List.of(JournalRecord.map(lba, spare, 0)));
    }

    private void corruptBlock(long block) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(BS);
        dev.read(block, b);
        b.put(100, (byte) (b.get(100) ^ 0x55));
        b.flip();
        dev.write(block, b, false);
    }

    @Test
    void freshlyFormattedVolumeRecoversEmpty() throws IOException {
        format();
        MetadataStore s = open();
        assertEquals(0, s.state().table().size());
        assertEquals(0, s.recoveryReport().recordsReplayed());
        assertTrue(s.recoveryReport().repairs().isEmpty());
    }

    @Test
    void committedRecordsSurviveACrashWithoutCheckpoint() throws IOException {
        format();
        MetadataStore s = open();
        map(s, 5);
        map(s, 6);
        s.commit(List.of(JournalRecord.pending(9)));
        MetadataStore again = open(); // no close: only the journal has them
        assertEquals(2, again.recoveryReport().recordsReplayed() - 1);
        assertEquals(0, again.state().spareOf(5));
        assertEquals(1, again.state().spareOf(6));
        assertTrue(again.state().isPending(9));
        assertEquals(2, again.state().spares().usedCount());
    }

    @Test
    void fullJournalIsCheckpointedAndRecoveryStaysComplete() throws IOException {
        format();
        MetadataStore s = open();
        int n = (int) LAYOUT.journalBlocks() + 10;
        for (int i = 0; i < n && i < LAYOUT.dataBlocks(); i++) {
            map(s, i % 40);
            if (i >= 39) {
                break;
            }
        }
        for (int i = 0; i < n; i++) {
            s.commit(List.of(JournalRecord.pending(50 + i % 40)));
            s.commit(List.of(JournalRecord.clearPending(50 + i % 40)));
        }
        assertTrue(s.counters().checkpoints() >= 2, "checkpoints: " + s.counters().checkpoints());
        MetadataStore again = open();
        assertEquals(40, again.state().table().size());
        assertEquals(0, again.state().pendingCount());
    }

    @Test
    void tornCheckpointCopyIsDetectedAndRewrittenFromTheGoodOne() throws IOException {
        format();
        MetadataStore s = open(); // newest checkpoint now in copy A (B held generation 2)
        map(s, 1);
        // a checkpoint into copy B torn half way: its header is garbage
        corruptBlock(LAYOUT.checkpointStart(1));
        MetadataStore again = open();
        assertEquals(0, again.state().spareOf(1));
        assertEquals(1, again.recoveryReport().repairs().size());
        assertTrue(again.recoveryReport().repairs().get(0).contains("checkpoint B"));
        MetadataStore third = open(); // both copies valid again
        assertTrue(third.recoveryReport().repairs().isEmpty());
        assertEquals(0, third.state().spareOf(1));
    }

    @Test
    void rottenEntryBlockOfTheNewestCheckpointFallsBackToTheOlderCopyPlusJournal() throws IOException {
        format();
        MetadataStore s = open(); // checkpoint A; the journal epoch starts
        for (int i = 0; i < 35; i++) {
            map(s, 2 * i);
        }
        s.close(); // checkpoint B with 35 entries in two entry blocks; journal records stay on disk
        corruptBlock(LAYOUT.checkpointStart(1) + 2);
        MetadataStore again = open();
        assertEquals("A", again.recoveryReport().checkpointCopy());
        assertEquals(35, again.recoveryReport().recordsReplayed());
        assertEquals(35, again.state().table().size());
        assertTrue(again.recoveryReport().repairs().get(0).contains("entry block 1"),
                again.recoveryReport().repairs().toString());
    }

    @Test
    void bothCheckpointCopiesCorruptRefusesToOpenNamingTheDevice() throws IOException {
        format();
        corruptBlock(LAYOUT.checkpointStart(0));
        corruptBlock(LAYOUT.checkpointStart(1));
        MetadataException e = assertThrows(MetadataException.class, this::open);
        assertTrue(e.getMessage().startsWith("dev: no valid checkpoint"), e.getMessage());
        assertTrue(e.getMessage().contains("refusing"), e.getMessage());
    }

    @Test
    void journalFromANewerLostCheckpointRefusesToOpenRatherThanDropRemaps() throws IOException {
        format();
        MetadataStore s = open(); // writes checkpoint A generation 3
        map(s, 2);
        corruptBlock(LAYOUT.checkpointStart(0)); // A rots after the journal moved on: only older B is valid
        MetadataException e = assertThrows(MetadataException.class, this::open);
        assertTrue(e.getMessage().contains("newer checkpoint was lost"), e.getMessage());
    }

    @Test
    void generationOnlyGrowsAcrossReopens() throws IOException {
        format();
        long last = 0;
        for (int i = 0; i < 4; i++) {
            MetadataStore s = open();
            assertTrue(s.checkpointGeneration() > last);
            last = s.checkpointGeneration();
            map(s, i);
            assertTrue(s.durableGeneration() > last);
            last = s.durableGeneration();
            s.close();
        }
    }

    @Test
    void metadataOfAnEarlierFormatIsNeverReplayed() throws IOException {
        format();
        MetadataStore s = open();
        map(s, 7);
        format(); // same LUN UUID, new data UUID
        assertEquals(0, open().state().table().size());
    }

    @Test
    void corruptSuperblockCopyIsRewrittenFromTheOtherCopy() throws IOException {
        Superblock sb = format();
        corruptBlock(0);
        assertEquals(sb, VolumeHeaders.readSuperblock(dev, "dev", false));
        ByteBuffer b = ByteBuffer.allocate(BS);
        dev.read(0, b);
        b.flip();
        assertEquals(sb, Superblock.decode(b, "copy 0"));
    }

    @Test
    void unformattedDeviceIsRefusedAsNotFormatted() {
        MetadataException e = assertThrows(MetadataException.class, () -> VolumeHeaders.readSuperblock(dev, "disk0",
                false));
        assertEquals("disk0 superblock copy 0: no superblock (device not formatted)", e.getMessage());
    }

    @Test
    void foreignDataIsRefusedAsNotAVolume() throws IOException {
        byte[] junk = new byte[2 * BS];
        new java.util.Random(1).nextBytes(junk);
        dev.write(0, ByteBuffer.wrap(junk), false);
        MetadataException e = assertThrows(MetadataException.class, () -> VolumeHeaders.readSuperblock(dev, "disk0",
                false));
        assertTrue(e.getMessage().contains("disk0") && e.getMessage().contains("not a remap-target volume"),
                e.getMessage());
    }

    @Test
    void closedStoreRefusesFurtherCommits() throws IOException {
        format();
        MetadataStore s = open();
        s.close();
        assertThrows(IOException.class, () -> s.commit(List.of(JournalRecord.pending(1))));
    }

    @Test
    void concurrentCommitsQueuedBehindALeaderShareOneFlushPair() throws Exception {
        format();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch leaderInFlush = new CountDownLatch(1);
        BlockDevice gate = new GatedFlushDevice(dev, leaderInFlush, release);
        Superblock sb = VolumeHeaders.readSuperblock(dev, "dev", false);
        RemapState st = new RemapState(new TestRemapTable(), new SpareAllocator(40), 100, 40);
        MetadataStore s = MetadataStore.recover(new RegionDevice(dev, 0, LAYOUT.metaBlocks(), "meta"),
                List.of(gate), sb, st, "dev");
        ((GatedFlushDevice) gate).armed = true;
        long groupsBefore = s.counters().commitGroups();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 10; i++) {
            final int lba = i;
            Thread t = new Thread(() -> {
                try {
                    s.commit(List.of(JournalRecord.pending(lba)));
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            threads.add(t);
            t.start();
            if (i == 0) {
                assertTrue(leaderInFlush.await(10, TimeUnit.SECONDS));
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (threads.stream().skip(1).anyMatch(t -> t.getState() != Thread.State.WAITING)
                && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        release.countDown();
        for (Thread t : threads) {
            t.join(10_000);
            assertFalse(t.isAlive());
        }
        assertTrue(errors.isEmpty(), errors.toString());
        assertEquals(2, s.counters().commitGroups() - groupsBefore);
        assertEquals(10, s.state().pendingCount());
    }

    /** Blocks the first armed flush until released. */
    private static final class GatedFlushDevice extends ForwardingDevice {
        private final CountDownLatch entered;
        private final CountDownLatch release;
        volatile boolean armed;

        GatedFlushDevice(BlockDevice inner, CountDownLatch entered, CountDownLatch release) {
            super(inner);
            this.entered = entered;
            this.release = release;
        }

        @Override
        public void flush() throws IOException {
            if (armed) {
                entered.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }
            inner.flush();
        }

        @Override
        public void close() {
        }
    }
}
