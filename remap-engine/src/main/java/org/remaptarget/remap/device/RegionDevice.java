package org.remaptarget.remap.device;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A window {@code [start, start+count)} of a parent device, addressed from 0: how the data, spare and metadata
 * areas of one backing device are kept apart.
 *
 * <p>Owns nothing: closing a region does not close the parent. Medium errors from the parent are re-thrown with the
 * LBA translated into this region's numbering, so callers always see their own addresses. Flush flushes the whole
 * parent (a device has one cache). No locks.
 */
public final class RegionDevice implements BlockDevice {
    private final BlockDevice parent;
    private final long start;
    private final long count;
    private final String name;

    public RegionDevice(BlockDevice parent, long start, long count, String name) {
        parent.checkRange(start, count);
        this.parent = parent;
        this.start = start;
        this.count = count;
        this.name = name;
    }

    /** First parent LBA of this region. */
    public long start() {
        return start;
    }

    public BlockDevice parent() {
        return parent;
    }

    @Override
    public int blockSize() {
        return parent.blockSize();
    }

    @Override
    public long blockCount() {
        return count;
    }

    @Override
    public void read(long lba, ByteBuffer dst) throws IOException {
        checkRange(lba, blocksIn(dst));
        try {
            parent.read(start + lba, dst);
        } catch (MediumErrorException e) {
            throw translate(e);
        }
    }

    @Override
    public void write(long lba, ByteBuffer src, boolean fua) throws IOException {
        checkRange(lba, blocksIn(src));
        try {
            parent.write(start + lba, src, fua);
        } catch (MediumErrorException e) {
            throw translate(e);
        }
    }

    @Override
    public void flush() throws IOException {
        parent.flush();
    }

    @Override
    public void discard(long lba, long blocks) throws IOException {
        checkRange(lba, blocks);
        try {
            parent.discard(start + lba, blocks);
        } catch (MediumErrorException e) {
            throw translate(e);
        }
    }

    @Override
    public AllocationRun allocation(long lba, long maxBlocks) throws IOException {
        checkRange(lba, maxBlocks);
        return parent.allocation(start + lba, maxBlocks);
    }

    private MediumErrorException translate(MediumErrorException e) {
        if (e instanceof ReallocationFailedException) {
            return e;
        }
        long local = e.lba() - start;
        MediumErrorException t = new MediumErrorException(local, e.isWrite(),
                (e.isWrite() ? "write" : "read") + " error at " + name + " LBA " + local + " (device LBA " + e.lba()
                        + ")");
        t.initCause(e);
        return t;
    }

    @Override
    public void close() {
        // the parent is owned by whoever created this region
    }

    @Override
    public String toString() {
        return name + "[" + start + "+" + count + "] of " + parent;
    }
}
