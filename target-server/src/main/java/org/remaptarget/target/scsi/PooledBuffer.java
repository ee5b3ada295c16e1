package org.remaptarget.target.scsi;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One direct buffer lent by a {@link DataBufferPool} to a single command's Data-In. Owns the lease: whoever holds the
 * {@link ScsiResult} carrying it must call {@link #release} exactly once the last byte has left (the transport's
 * writer after the socket write, or the error/abort path that drops the data). {@link #release} is idempotent (a CAS):
 * a second call does nothing, so the buffer can never be handed back twice. Not releasing is safe (the GC takes the
 * buffer); releasing while a PDU still references it is a data-corruption bug. Thread-safe.
 */
public final class PooledBuffer {
    private final ByteBuffer buffer;
    private final DataBufferPool owner;
    private final AtomicBoolean released = new AtomicBoolean();

    PooledBuffer(ByteBuffer buffer, DataBufferPool owner) {
        this.buffer = buffer;
        this.owner = owner;
    }

    /** The whole buffer (position 0, limit = the requested length). Callers use duplicates or slices. */
    public ByteBuffer buffer() {
        return buffer;
    }

    /** Returns the buffer to its pool the first time; later calls do nothing. */
    public void release() {
        if (released.compareAndSet(false, true) && owner != null) {
            owner.giveBack(buffer);
        }
    }

    public boolean isReleased() {
        return released.get();
    }

    @Override
    public String toString() {
        return "PooledBuffer[" + buffer.limit() + "/" + buffer.capacity() + (released.get() ? ", released]" : "]");
    }
}
