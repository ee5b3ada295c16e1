package org.remaptarget.target.scsi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.remaptarget.remap.device.BlockDevice;
import org.remaptarget.remap.device.MediumErrorException;
import org.remaptarget.remap.device.MemoryBlockDevice;
import org.remaptarget.remap.device.ReallocationFailedException;

/**
 * Test decorator over a memory device: counts FUA writes and flushes, and fails reads or writes of chosen LBAs
 * deterministically (a set of bad blocks, switched by the test).
 */
final class RecordingDevice implements BlockDevice {
    final MemoryBlockDevice inner;
    final AtomicInteger fuaWrites = new AtomicInteger();
    final AtomicInteger plainWrites = new AtomicInteger();
    final AtomicInteger flushes = new AtomicInteger();
    final Set<Long> badForRead = new HashSet<>();
    final Set<Long> badForWrite = new HashSet<>();
    final Set<Long> noSpare = new HashSet<>();

    RecordingDevice(int blockSize, long blocks) {
        this.inner = new MemoryBlockDevice(blockSize, blocks);
    }

    @Override
    public int blockSize() {
        return inner.blockSize();
    }

    @Override
    public long blockCount() {
        return inner.blockCount();
    }

    @Override
    public synchronized void read(long lba, ByteBuffer dst) throws IOException {
        int n = blocksIn(dst);
        for (long b = lba; b < lba + n; b++) {
            if (badForRead.contains(b)) {
                throw new MediumErrorException(b, false);
            }
        }
        inner.read(lba, dst);
    }

    @Override
    public synchronized void write(long lba, ByteBuffer src, boolean fua) throws IOException {
        int n = blocksIn(src);
        for (long b = lba; b < lba + n; b++) {
            if (noSpare.contains(b)) {
                throw new ReallocationFailedException(b);
            }
            if (badForWrite.contains(b)) {
                throw new MediumErrorException(b, true);
            }
        }
        (fua ? fuaWrites : plainWrites).incrementAndGet();
        inner.write(lba, src, fua);
    }

    @Override
    public void flush() {
        flushes.incrementAndGet();
    }

    @Override
    public org.remaptarget.remap.device.AllocationRun allocation(long lba, long maxBlocks) {
        return inner.allocation(lba, maxBlocks);
    }

    @Override
    public void discard(long lba, long blocks) {
        inner.discard(lba, blocks);
    }

    @Override
    public void close() {
    }
}
