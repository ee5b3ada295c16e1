package org.remaptarget.remap.device;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.Set;

/**
 * A block device over a regular file or a raw block-device node, using positional I/O on one {@link FileChannel}
 * (which is safe for concurrent positional reads and writes).
 *
 * <p>Owns the channel. Invariant: the file is at least {@code blockCount * blockSize} bytes long (created sparse).
 * No locks: positional I/O does not share a file position. Discard frees the file's space through the
 * {@link Deallocator} given at open (punching holes on Linux), and zero-fills when it cannot; allocation queries go
 * to the same hook.
 */
public final class FileBlockDevice implements BlockDevice {
    private static final int ZERO_CHUNK = 1 << 20;

    private final Path path;
    private final FileChannel channel;
    private final int blockSize;
    private final long blockCount;
    private final boolean readOnly;
    private final Deallocator deallocator;

    private FileBlockDevice(Path path, FileChannel channel, int blockSize, long blockCount, boolean readOnly,
                            Deallocator deallocator) {
        this.deallocator = deallocator == null ? Deallocator.NONE : deallocator;
        this.path = path;
        this.channel = channel;
        this.blockSize = blockSize;
        this.blockCount = blockCount;
        this.readOnly = readOnly;
    }

    /**
     * Opens {@code path}, creating it as a sparse file of {@code blockCount} blocks if it does not exist, and
     * extending a shorter regular file (sparsely) to that size.
     */
    public static FileBlockDevice openOrCreate(Path path, int blockSize, long blockCount) throws IOException {
        return openOrCreate(path, blockSize, blockCount, Deallocator.NONE);
    }

    /** As {@link #openOrCreate(Path, int, long)}, freeing discarded ranges through {@code deallocator}. */
    public static FileBlockDevice openOrCreate(Path path, int blockSize, long blockCount, Deallocator deallocator)
            throws IOException {
        checkBlockSize(blockSize);
        if (path.getParent() != null) {
            Files.createDirectories(path.getParent());
        }
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            long want = blockCount * blockSize;
            if (Files.isRegularFile(path) && ch.size() < want) {
                ch.write(ByteBuffer.wrap(new byte[1]), want - 1);
            }
            long have = ch.size();
            if (have < want) {
                throw new IOException(path + " holds " + have + " bytes, fewer than the " + want + " requested");
            }
            return new FileBlockDevice(path, ch, blockSize, blockCount, false, deallocator);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Opens an existing file or device; its block count is its size divided by the block size. */
    public static FileBlockDevice open(Path path, int blockSize, boolean readOnly) throws IOException {
        return open(path, blockSize, readOnly, Deallocator.NONE);
    }

    /** As {@link #open(Path, int, boolean)}, freeing discarded ranges through {@code deallocator}. */
    public static FileBlockDevice open(Path path, int blockSize, boolean readOnly, Deallocator deallocator)
            throws IOException {
        checkBlockSize(blockSize);
        Set<StandardOpenOption> opts = readOnly ? EnumSet.of(StandardOpenOption.READ)
                : EnumSet.of(StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileChannel ch = FileChannel.open(path, opts);
        long size = ch.size();
        if (size < blockSize) {
            ch.close();
            throw new IOException(path + " is smaller than one " + blockSize + "-byte block");
        }
        return new FileBlockDevice(path, ch, blockSize, size / blockSize, readOnly, deallocator);
    }

    private static void checkBlockSize(int blockSize) {
        if (blockSize != 512 && blockSize != 4096) {
            throw new IllegalArgumentException("block size must be 512 or 4096, not " + blockSize);
        }
    }

    public Path path() {
        return path;
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
    public void read(long lba, ByteBuffer dst) throws IOException {
        int blocks = blocksIn(dst);
        checkRange(lba, blocks);
        long pos = lba * blockSize;
        while (dst.hasRemaining()) {
            int n = channel.read(dst, pos);
            if (n < 0) {
                // Past the end of a file that shrank under us: never invent data.
                throw new IOException(path + ": unexpected end of file at byte " + pos);
            }
            pos += n;
        }
    }

    @Override
    public void write(long lba, ByteBuffer src, boolean fua) throws IOException {
        ensureWritable();
        int blocks = blocksIn(src);
        checkRange(lba, blocks);
        long pos = lba * blockSize;
        while (src.hasRemaining()) {
            pos += channel.write(src, pos);
        }
        if (fua) {
            channel.force(false);
        }
    }

    @Override
    public void flush() throws IOException {
        if (!readOnly) {
            channel.force(false);
        }
    }

    @Override
    public void discard(long lba, long blocks) throws IOException {
        ensureWritable();
        checkRange(lba, blocks);
        if (blocks == 0 || deallocator.deallocate(path, lba * blockSize, blocks * blockSize)) {
            return;
        }
        ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(ZERO_CHUNK, blocks * blockSize));
        long pos = lba * blockSize;
        long end = pos + blocks * blockSize;
        while (pos < end) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), end - pos));
            while (zeros.hasRemaining()) {
                pos += channel.write(zeros, pos);
            }
        }
    }

    @Override
    public AllocationRun allocation(long lba, long maxBlocks) throws IOException {
        checkRange(lba, maxBlocks);
        if (maxBlocks < 1) {
            throw new IllegalArgumentException("allocation query of " + maxBlocks + " blocks");
        }
        AllocationRun bytes = deallocator.allocation(path, lba * blockSize, maxBlocks * blockSize);
        if (bytes.mapped()) {
            // a run of data that ends inside a block makes that whole block mapped
            long blocks = (bytes.length() + blockSize - 1) / blockSize;
            return new AllocationRun(true, Math.max(1, Math.min(maxBlocks, blocks)));
        }
        long blocks = bytes.length() / blockSize;
        if (blocks == 0) {
            // a hole smaller than a block: the block holds data somewhere, call it mapped
            return new AllocationRun(true, 1);
        }
        return new AllocationRun(false, Math.min(maxBlocks, blocks));
    }

    /** The hook that frees discarded ranges. */
    public Deallocator deallocator() {
        return deallocator;
    }

    private void ensureWritable() throws IOException {
        if (readOnly) {
            throw new IOException(path + " is open read-only");
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return "file:" + path;
    }
}
