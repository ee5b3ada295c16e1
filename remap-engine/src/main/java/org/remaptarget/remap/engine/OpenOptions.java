package org.remaptarget.remap.engine;

import java.nio.file.Path;
import java.util.UUID;
import java.util.function.Supplier;
import org.remaptarget.remap.device.Deallocator;
import org.remaptarget.remap.device.TimeSource;
import org.remaptarget.remap.table.RemapTable;

/**
 * How to open a volume.
 *
 * @param engine               read retries and AWRE
 * @param degradedPercent      spare use (percent) above which health is DEGRADED (default 80)
 * @param tables               creates the (empty) remap table: the composition root supplies the implementation
 * @param faultInjection       insert a {@link org.remaptarget.remap.fault.FaultInjectingDevice} between the engine
 *                             and the backing (and spare) device, reachable through {@link RemapVolume#faults()}
 * @param trackUnflushedWrites with fault injection: model the volatile cache so power cuts lose unflushed writes
 * @param time                 clock for fault latency and flakey windows
 * @param spareFile            the separate spare file, for volumes formatted with one
 * @param expectedLunUuid      refuse a device whose LUN UUID differs (null: accept any)
 * @param name                 name used in logs and errors (null: the path or device)
 * @param deallocator          how files opened by path free discarded space (null: {@link Deallocator#NONE},
 *                             zero-fill)
 * @param spareCacheBytes      memory for the spare-area cache ({@link org.remaptarget.remap.device.CachingDevice}):
 *                             the spares of that many bytes of remapped blocks are read from memory; 0: none.
 *                             Taken in 64 KiB steps as spares are used (default {@link #DEFAULT_SPARE_CACHE_BYTES})
 */
public record OpenOptions(EngineOptions engine, int degradedPercent, Supplier<RemapTable> tables,
                          boolean faultInjection, boolean trackUnflushedWrites, TimeSource time, Path spareFile,
                          UUID expectedLunUuid, String name, Deallocator deallocator, long spareCacheBytes) {
    /** 64 MiB: the spares of 131,072 remapped 512-byte blocks (16,384 of 4096 bytes). */
    public static final long DEFAULT_SPARE_CACHE_BYTES = 64L << 20;

    public OpenOptions {
        if (spareCacheBytes < 0) {
            throw new IllegalArgumentException("spare cache size must not be negative: " + spareCacheBytes);
        }
    }

    /** Defaults with the given table implementation (e.g. {@code IncrementalRemapTable::new}). */
    public static OpenOptions defaults(Supplier<RemapTable> tables) {
        return new OpenOptions(EngineOptions.defaults(), 80, tables, false, false, TimeSource.system(), null, null,
                null, Deallocator.NONE, DEFAULT_SPARE_CACHE_BYTES);
    }

    public OpenOptions withEngine(EngineOptions e) {
        return new OpenOptions(e, degradedPercent, tables, faultInjection, trackUnflushedWrites, time, spareFile,
                expectedLunUuid, name, deallocator, spareCacheBytes);
    }

    public OpenOptions withDegradedPercent(int p) {
        return new OpenOptions(engine, p, tables, faultInjection, trackUnflushedWrites, time, spareFile,
                expectedLunUuid, name, deallocator, spareCacheBytes);
    }

    public OpenOptions withFaultInjection(boolean on) {
        return new OpenOptions(engine, degradedPercent, tables, on, trackUnflushedWrites, time, spareFile,
                expectedLunUuid, name, deallocator, spareCacheBytes);
    }

    /** Fault injection with the volatile-cache model on (power cuts discard unflushed writes). */
    public OpenOptions withPowerCutModel(boolean on) {
        return new OpenOptions(engine, degradedPercent, tables, faultInjection || on, on, time, spareFile,
                expectedLunUuid, name, deallocator, spareCacheBytes);
    }

    public OpenOptions withTime(TimeSource t) {
        return new OpenOptions(engine, degradedPercent, tables, faultInjection, trackUnflushedWrites, t, spareFile,
                expectedLunUuid, name, deallocator, spareCacheBytes);
    }

    public OpenOptions withSpareFile(Path p) {
        return new OpenOptions(engine, degradedPercent, tables, faultInjection, trackUnflushedWrites, time, p,
                expectedLunUuid, name, deallocator, spareCacheBytes);
    }

    public OpenOptions withExpectedLunUuid(UUID u) {
        return new OpenOptions(engine, degradedPercent, tables, faultInjection, trackUnflushedWrites, time, spareFile,
                u, name, deallocator, spareCacheBytes);
    }

    public OpenOptions withName(String n) {
        return new OpenOptions(engine, degradedPercent, tables, faultInjection, trackUnflushedWrites, time, spareFile,
                expectedLunUuid, n, deallocator, spareCacheBytes);
    }

    public OpenOptions withReadRetries(int n) {
        return withEngine(engine.withReadRetries(n));
    }

    public OpenOptions withAutoReallocateOnWrite(boolean on) {
        return withEngine(engine.withAutoReallocateOnWrite(on));
    }

    /** Files opened by path free discarded space through {@code d} (e.g. punching holes). */
    public OpenOptions withDeallocator(Deallocator d) {
        return new OpenOptions(engine, degradedPercent, tables, faultInjection, trackUnflushedWrites, time, spareFile,
                expectedLunUuid, name, d, spareCacheBytes);
    }

    /** Memory for the spare-area cache, in bytes (0: no cache). */
    public OpenOptions withSpareCacheBytes(long bytes) {
        return new OpenOptions(engine, degradedPercent, tables, faultInjection, trackUnflushedWrites, time, spareFile,
                expectedLunUuid, name, deallocator, bytes);
    }
}
