package org.remaptarget.remap.device;

import java.io.IOException;
import java.nio.ByteBuffer;

/** Test helper: passes every call on to {@code inner}; tests override the one call they watch or hold. */
public class ForwardingDevice implements BlockDevice {
    protected final BlockDevice inner;

    public ForwardingDevice(BlockDevice inner) {
        this.inner = inner;
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
    public void read(long lba, ByteBuffer dst) throws IOException {
        inner.read(lba, dst);
    }

    @Override
    public void write(long lba, ByteBuffer src, boolean fua) throws IOException {
        inner.write(lba, src, fua);
    }

    @Override
    public void flush() throws IOException {
        inner.flush();
    }

    @Override
    public void discard(long lba, long blocks) throws IOException {
        inner.discard(lba, blocks);
    }

    @Override
    public void close() throws IOException {
        inner.close();
    }
}
