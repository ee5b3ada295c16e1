package org.remaptarget.remap.device;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A fixed-geometry array of blocks: the one storage abstraction every layer of the engine speaks.
 *
 * <p>Contract: {@code lba} and lengths are in blocks; a buffer's remaining bytes are a whole number of blocks
 * (otherwise {@link IllegalArgumentException}); a request beyond {@link #blockCount()} is an
 * {@link IllegalArgumentException} (callers validate ranges first). Reads fill the buffer completely or throw.
 * Implementations are safe for concurrent use by many threads; requests to disjoint ranges never serialise.
 *
 * <p>Failures: {@link MediumErrorException} names the first failing LBA; {@link ReallocationFailedException}
 * means a write could not be recovered because no spare space is left; any other {@link IOException} is a device
 * error with no block located.
 */
public interface BlockDevice extends Closeable {

    /** Bytes per block: 512 or 4096. */
    int blockSize();

    /** Number of addressable blocks. */
    long blockCount();

    /** Reads {@code dst.remaining() / blockSize()} blocks starting at {@code lba} into {@code dst}. */
    void read(long lba, ByteBuffer dst) throws IOException;

    /**
     * Writes {@code src.remaining() / blockSize()} blocks starting at {@code lba}.
     *
     * @param fua force unit access: the data is durable when this returns
     */
    void write(long lba, ByteBuffer src, boolean fua) throws IOException;

    /** Makes every completed write durable. */
    void flush() throws IOException;

    /**
     * Deallocates {@code blocks} blocks at {@code lba}; afterwards they read as zeros. Devices that cannot free
     * space write zeros instead.
     */
    void discard(long lba, long blocks) throws IOException;

    /**
     * The provisioning state of the blocks from {@code lba} on: the longest run (at most {@code maxBlocks}, at least
     * one block) that is uniformly mapped or uniformly deallocated. Deallocated blocks read as zeros. The default
     * calls everything mapped, which is always safe. Devices that decorate others translate and forward it.
     */
    default AllocationRun allocation(long lba, long maxBlocks) throws IOException {
        checkRange(lba, maxBlocks);
        if (maxBlocks < 1) {
            throw new IllegalArgumentException("allocation query of " + maxBlocks + " blocks");
        }
        return new AllocationRun(true, maxBlocks);
    }

    /** Size in bytes of the addressable area. */
    default long sizeBytes() {
        return blockCount() * (long) blockSize();
    }

    /** Throws {@link IllegalArgumentException} unless {@code [lba, lba+blocks)} lies inside the device. */
    default void checkRange(long lba, long blocks) {
        if (lba < 0 || blocks < 0 || lba > blockCount() || blocks > blockCount() - lba) {
            throw new IllegalArgumentException("range [" + lba + ", +" + blocks + ") outside device of "
                    + blockCount() + " blocks");
        }
    }

    /** Returns the number of whole blocks in {@code buf}, or throws if it holds a partial block. */
    default int blocksIn(ByteBuffer buf) {
        int n = buf.remaining();
        if (n % blockSize() != 0) {
            throw new IllegalArgumentException(n + " bytes is not a multiple of the block size " + blockSize());
        }
        return n / blockSize();
    }
}
