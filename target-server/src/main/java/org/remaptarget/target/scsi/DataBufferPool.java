package org.remaptarget.target.scsi;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Direct buffers for large Data-In transfers, in power-of-two size classes from {@code minBytes} to {@code maxBytes}.
 * A read lands in one (FileChannel reads into it without the JDK's temporary-buffer bounce) and the socket writes
 * from it (again no bounce), so a 1 MiB read costs only the kernel's copies.
 *
 * <p>Each class is a fixed array of slots; taking empties a slot with {@code getAndSet(null)} and giving back fills
 * an empty one with {@code compareAndSet(null, b)}, so the pool is lock-free and no buffer is ever handed out
 * twice. Only idle buffers are counted and bounded ({@code maxIdleBytes} in total): a buffer that is lent and never
 * given back (connection dropped mid-write) is simply collected by the GC. A give-back first reserves its bytes
 * against the bound, then takes an empty slot; either failing drops the buffer. Each class has slots for at most
 * half the bound (at most {@value #MAX_SLOTS}), so one size cannot crowd the others out. (Measured: with an equal
 * 1/7 share, 9 idle 1 MiB buffers, a loaded 2-core host still missed on 3% of 1 MiB QD8 reads, because a buffer
 * comes back only after the writer thread runs again; 32 slots absorb that.) Buffers larger than {@code maxBytes} are not served ({@link #acquire} returns null).
 * Thread-safe; no locks.
 */
public final class DataBufferPool {
    /** Defaults: 64 KiB to 4 MiB classes, 64 MiB idle at most (up to 32 idle 1 MiB buffers). */
    public static final int DEFAULT_MIN_BYTES = 64 * 1024;
    public static final int DEFAULT_MAX_BYTES = 4 * 1024 * 1024;
    public static final long DEFAULT_MAX_IDLE_BYTES = 64L * 1024 * 1024;
    private static final int MAX_SLOTS = 64;

    private final int minShift;
    private final int maxBytes;
    private final long maxIdleBytes;
    private final AtomicReferenceArray<ByteBuffer>[] classes;
    private final AtomicLong idleBytes = new AtomicLong();
    private final AtomicLong allocations = new AtomicLong();

    public DataBufferPool() {
        this(DEFAULT_MIN_BYTES, DEFAULT_MAX_BYTES, DEFAULT_MAX_IDLE_BYTES);
    }

    /**
     * @param minBytes     smallest class (a power of two); smaller requests get a buffer of this size
     * @param maxBytes     largest class (a power of two, at least {@code minBytes})
     * @param maxIdleBytes most bytes kept idle in the pool across all classes
     */
    @SuppressWarnings("unchecked")
    public DataBufferPool(int minBytes, int maxBytes, long maxIdleBytes) {
        if (Integer.bitCount(minBytes) != 1 || Integer.bitCount(maxBytes) != 1 || maxBytes < minBytes
                || maxIdleBytes < 0) {
            throw new IllegalArgumentException("bad pool sizes " + minBytes + ".." + maxBytes + ", " + maxIdleBytes);
        }
        this.minShift = Integer.numberOfTrailingZeros(minBytes);
        this.maxBytes = maxBytes;
        this.maxIdleBytes = maxIdleBytes;
        int n = Integer.numberOfTrailingZeros(maxBytes) - minShift + 1;
        this.classes = new AtomicReferenceArray[n];
        for (int i = 0; i < n; i++) {
            long size = (long) minBytes << i;
            classes[i] = new AtomicReferenceArray<>((int) Math.min(MAX_SLOTS, maxIdleBytes / 2 / size));
        }
    }

    /** Largest request served. */
    public int maxBytes() {
        return maxBytes;
    }

    /**
     * Lends a direct buffer of at least {@code bytes} (position 0, limit {@code bytes}; contents undefined), or
     * returns null when {@code bytes} exceeds {@link #maxBytes()}.
     */
    public PooledBuffer acquire(int bytes) {
        if (bytes < 0 || bytes > maxBytes) {
            return null;
        }
        int c = classOf(bytes);
        AtomicReferenceArray<ByteBuffer> slots = classes[c];
        ByteBuffer b = null;
        for (int i = 0; i < slots.length() && b == null; i++) {
            if (slots.get(i) != null) {
                b = slots.getAndSet(i, null);
            }
        }
        if (b != null) {
            idleBytes.addAndGet(-b.capacity());
        } else {
            b = ByteBuffer.allocateDirect(1 << (c + minShift));
            allocations.incrementAndGet();
        }
        b.clear().limit(bytes);
        return new PooledBuffer(b, this);
    }

    /** Called by {@link PooledBuffer#release} only (exactly once per lease). */
    void giveBack(ByteBuffer b) {
        int cap = b.capacity();
        if (Integer.bitCount(cap) != 1 || cap > maxBytes || cap < (1 << minShift)) {
            return;
        }
        if (idleBytes.addAndGet(cap) > maxIdleBytes) {
            idleBytes.addAndGet(-cap); // over the bound: the GC takes it
            return;
        }
        AtomicReferenceArray<ByteBuffer> slots = classes[classOf(cap)];
        for (int i = 0; i < slots.length(); i++) {
            if (slots.get(i) == null && slots.compareAndSet(i, null, b)) {
                return;
            }
        }
        idleBytes.addAndGet(-cap); // every slot full (or the class is not pooled): the GC takes it
    }

    /** Bytes currently idle in the pool (exact when quiescent; never above the bound). */
    public long idleBytes() {
        return idleBytes.get();
    }

    /** Direct buffers allocated so far (misses). */
    public long allocations() {
        return allocations.get();
    }

    private int classOf(int bytes) {
        int shift = bytes <= (1 << minShift) ? minShift : 32 - Integer.numberOfLeadingZeros(bytes - 1);
        return shift - minShift;
    }
}
