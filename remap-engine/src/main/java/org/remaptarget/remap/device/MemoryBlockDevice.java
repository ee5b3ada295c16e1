package org.remaptarget.remap.device;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A sparse in-memory block device: storage is allocated in 1 MiB chunks on first write, so a large, mostly empty
 * device costs little. Unwritten blocks read as zeros.
 *
 * <p>Invariant: a chunk, once allocated, is never replaced until discard frees a whole chunk. Concurrent access to
 * the same bytes is not ordered (as with a real disk); distinct blocks never interfere. Chunk allocation is a
 * compare-and-set on the chunk array.
 */
public final class MemoryBlockDevice implements BlockDevice {
    private static final int CHUNK_SHIFT = 20;
    private static final int CHUNK = 1 << CHUNK_SHIFT;

    private final int blockSize;
    private final long blockCount;
    private final AtomicReferenceArray<byte[]> chunks;

    public MemoryBlockDevice(int blockSize, long blockCount) {
        if (blockSize != 512 && blockSize != 4096) {
            throw new IllegalArgumentException("block size must be 512 or 4096, not " + blockSize);
        }
        long bytes = blockSize * blockCount;
        long nChunks = (bytes + CHUNK - 1) >>> CHUNK_SHIFT;
        if (nChunks > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("device too large for memory: " + bytes + " bytes");
        }
        this.blockSize = blockSize;
        this.blockCount = blockCount;
        this.chunks = new AtomicReferenceArray<>((int) nChunks);
    }

    @Override
    public int blockSize() {
        return blockSize;
    }

    @Override
    public long blockCount() {
        return blockCount;
    }

    @Override
    public void read(long lba, ByteBuffer dst) {
        checkRange(lba, blocksIn(dst));
        long pos = lba * blockSize;
        while (dst.hasRemaining()) {
            int idx = (int) (pos >>> CHUNK_SHIFT);
            int off = (int) (pos & (CHUNK - 1));
            int n = Math.min(dst.remaining(), CHUNK - off);
            byte[] c = chunks.get(idx);
            if (c == null) {
                for (int i = 0; i < n; i++) {
                    dst.put((byte) 0);
                }
            } else {
                dst.put(c, off, n);
            }
            pos += n;
        }
    }

    @Override
    public void write(long lba, ByteBuffer src, boolean fua) {
        checkRange(lba, blocksIn(src));
        long pos = lba * blockSize;
        while (src.hasRemaining()) {
            int idx = (int) (pos >>> CHUNK_SHIFT);
            int off = (int) (pos & (CHUNK - 1));
            int n = Math.min(src.remaining(), CHUNK - off);
            src.get(chunk(idx), off, n);
            pos += n;
        }
    }

    private byte[] chunk(int idx) {
        byte[] c = chunks.get(idx);
        if (c == null) {
            byte[] fresh = new byte[CHUNK];
            c = chunks.compareAndSet(idx, null, fresh) ? fresh : chunks.get(idx);
        }
        return c;
    }

    @Override
    public void flush() {
        // memory is as durable as it gets
    }

    @Override
    public void discard(long lba, long blocks) {
        checkRange(lba, blocks);
        long pos = lba * blockSize;
        long end = pos + blocks * blockSize;
        while (pos < end) {
            int idx = (int) (pos >>> CHUNK_SHIFT);
            int off = (int) (pos & (CHUNK - 1));
            int n = (int) Math.min(end - pos, CHUNK - off);
            if (off == 0 && n == CHUNK) {
                chunks.set(idx, null);
            } else {
                byte[] c = chunks.get(idx);
                if (c != null) {
                    java.util.Arrays.fill(c, off, off + n, (byte) 0);
                }
            }
            pos += n;
        }
    }

    /** Blocks in a chunk that was never written (or wholly discarded) are deallocated; the rest are mapped. */
    @Override
    public AllocationRun allocation(long lba, long maxBlocks) {
        checkRange(lba, maxBlocks);
        if (maxBlocks < 1) {
            throw new IllegalArgumentException("allocation query of " + maxBlocks + " blocks");
        }
        long pos = lba * blockSize;
        long end = pos + maxBlocks * blockSize;
        boolean mapped = chunks.get((int) (pos >>> CHUNK_SHIFT)) != null;
        long p = pos;
        while (p < end && (chunks.get((int) (p >>> CHUNK_SHIFT)) != null) == mapped) {
            p = ((p >>> CHUNK_SHIFT) + 1) << CHUNK_SHIFT;
        }
        long blocks = (Math.min(p, end) - pos) / blockSize;
        return new AllocationRun(mapped, Math.max(1, blocks));
    }

    /** Bytes of memory currently allocated for data. */
    public long allocatedBytes() {
        long n = 0;
        for (int i = 0; i < chunks.length(); i++) {
            if (chunks.get(i) != null) {
                n += CHUNK;
            }
        }
        return n;
    }

    @Override
    public void close() {
        // nothing to release beyond garbage
    }

    @Override
    public String toString() {
        return "memory:" + blockCount + "x" + blockSize;
    }
}
