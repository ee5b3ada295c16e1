package org.remaptarget.remap.engine;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.remaptarget.remap.device.BlockDevice;
import org.remaptarget.remap.device.CachingDevice;
import org.remaptarget.remap.device.FileBlockDevice;
import org.remaptarget.remap.device.RegionDevice;
import org.remaptarget.remap.fault.FaultInjectingDevice;
import org.remaptarget.remap.meta.Layout;
import org.remaptarget.remap.meta.MetadataException;
import org.remaptarget.remap.meta.MetadataStore;
import org.remaptarget.remap.meta.RemapState;
import org.remaptarget.remap.meta.Superblock;
import org.remaptarget.remap.meta.VolumeHeaders;
import org.remaptarget.remap.spare.SpareAllocator;
import org.remaptarget.remap.table.DenseRegionTable;
import org.remaptarget.remap.table.PresenceFilteredTable;
import org.remaptarget.remap.table.RemapTable;
import org.remaptarget.remap.stats.EngineCounters;
import org.remaptarget.remap.stats.Health;
import org.remaptarget.remap.stats.HealthMonitor;
import org.remaptarget.remap.stats.Listeners;
import org.remaptarget.remap.stats.StatsSnapshot;
import org.remaptarget.remap.stats.VolumeListener;

/**
 * A formatted, open remap volume: the composition of backing device(s), optional fault injector, the three areas,
 * the metadata store and the remapping engine. The facade the target server wires: serve {@link #device()}.
 *
 * <p>Owns the backing devices it opened (and those passed in: {@link #close()} closes them). Stack, bottom up:
 * file or memory device, fault injector (optional), regions (metadata, data, spare), {@link RemappingBlockDevice}.
 */
public final class RemapVolume implements Closeable {
    private static final Logger LOG = LogManager.getLogger(RemapVolume.class);

    private final Superblock superblock;
    private final List<BlockDevice> owned;
    private final FaultInjectingDevice faults;
    private final FaultInjectingDevice spareFaults;
    private final CachingDevice spareCache;
    private final MetadataStore store;
    private final RemappingBlockDevice engine;
    private final VolumeMaintenance maintenance;
    private final EngineCounters counters;
    private final Listeners listeners;
    private final HealthMonitor health;
    private final String name;
    private boolean closed;

    private RemapVolume(Superblock sb, List<BlockDevice> owned, FaultInjectingDevice faults,
                        FaultInjectingDevice spareFaults, CachingDevice spareCache, MetadataStore store,
                        RemappingBlockDevice engine, EngineCounters counters, Listeners listeners, HealthMonitor health,
                        String name) {
        this.superblock = sb;
        this.owned = owned;
        this.faults = faults;
        this.spareFaults = spareFaults;
        this.spareCache = spareCache;
        this.store = store;
        this.engine = engine;
        this.maintenance = new VolumeMaintenance(engine);
        this.counters = counters;
        this.listeners = listeners;
        this.health = health;
        this.name = name;
    }

    // ------------------------------------------------------------------ format

    /** Creates (sparse) and formats {@code backing} (and the spare file, if any), then opens it. */
    public static RemapVolume format(Path backing, FormatOptions f, OpenOptions o) throws IOException {
        formatFile(backing, f);
        return open(backing, o.spareFile() == null && f.spareFile() != null ? o.withSpareFile(f.spareFile()) : o);
    }

    /** Creates (sparse) and formats {@code backing} (and the spare file, if any). */
    public static Superblock formatFile(Path backing, FormatOptions f) throws IOException {
        boolean external = f.spareFile() != null;
        Layout l = f.layout(external);
        try (FileBlockDevice dev = FileBlockDevice.openOrCreate(backing, f.blockSize(), l.backingBlocks());
             FileBlockDevice spare = external
                     ? FileBlockDevice.openOrCreate(f.spareFile(), f.blockSize(), l.spareDeviceBlocks()) : null) {
            return format(dev, spare, f);
        }
    }

    /**
     * Formats a device (and a separate spare device, or null). Refuses a device that already holds a volume
     * unless {@link FormatOptions#force()}.
     */
    public static Superblock format(BlockDevice backing, BlockDevice spareDevice, FormatOptions f)
            throws IOException {
        Layout l = f.layout(spareDevice != null);
        if (!f.force()) {
            Superblock existing;
            try {
                existing = VolumeHeaders.readSuperblock(backing, backing.toString(), true);
            } catch (MetadataException e) {
                existing = null; // nothing valid there: free to format
            }
            if (existing != null) {
                throw new MetadataException(backing + ": already holds the volume of LUN " + existing.lunUuid()
                        + "; refusing to format it without force");
            }
        }
        UUID lun = f.lunUuid() != null ? f.lunUuid() : UUID.randomUUID();
        Superblock sb = new Superblock(Superblock.VERSION, Superblock.Role.VOLUME, lun, UUID.randomUUID(),
                UUID.randomUUID(), 1, l);
        VolumeHeaders.format(backing, spareDevice, sb);
        LOG.info("{}: formatted LUN {}: {} data blocks of {} bytes, {} spares{}, {} metadata blocks", backing, lun,
                l.dataBlocks(), l.blockSize(), l.spareBlocks(), spareDevice == null ? "" : " on " + spareDevice,
                l.metaBlocks());
        return sb;
    }

    // ------------------------------------------------------------------ open

    /** Opens a formatted file or block device (its block size is read from the superblock). */
    public static RemapVolume open(Path backing, OpenOptions o) throws IOException {
        if (!Files.exists(backing)) {
            throw new MetadataException(backing + ": does not exist");
        }
        int bs = probeBlockSize(backing);
        FileBlockDevice dev = FileBlockDevice.open(backing, bs, false, o.deallocator());
        FileBlockDevice spare = null;
        try {
            if (o.spareFile() != null) {
                spare = FileBlockDevice.open(o.spareFile(), bs, false, o.deallocator());
            }
            return open(dev, spare, o.name() == null ? o.withName(backing.toString()) : o);
        } catch (IOException | RuntimeException e) {
            dev.close();
            if (spare != null) {
                spare.close();
            }
            throw e;
        }
    }

    private static int probeBlockSize(Path backing) throws IOException {
        try (FileBlockDevice probe = FileBlockDevice.open(backing, 512, true)) {
            ByteBuffer b = ByteBuffer.allocate(512);
            probe.read(0, b);
            b.flip();
            int bs = b.getInt(72);
            return b.getLong(0) == Superblock.MAGIC && bs == 4096 ? 4096 : 512;
        }
    }

    /** Opens a formatted device whose spare area is on the same device. */
    public static RemapVolume open(BlockDevice backing, OpenOptions o) throws IOException {
        return open(backing, null, o);
    }

    /** Opens a formatted device with a separate spare device (or null). Takes ownership of both. */
    public static RemapVolume open(BlockDevice backing, BlockDevice spareDevice, OpenOptions o) throws IOException {
        if (o.tables() == null) {
            throw new IllegalArgumentException("OpenOptions has no remap table factory");
        }
        String name = o.name() != null ? o.name() : backing.toString();
        // the spare-area cache sits directly on the device that holds the spare area, below fault injection (so
        // injected faults fire on cached blocks too); where that area is, the superblock says (read here without
        // repairing; the read below repairs a bad copy through the whole stack)
        CachingDevice cache = spareCache(backing, spareDevice, VolumeHeaders.readSuperblock(backing, name, true)
                .layout(), o);
        BlockDevice base = cache != null && spareDevice == null ? cache : backing;
        BlockDevice spareBase = cache != null && spareDevice != null ? cache : spareDevice;
        FaultInjectingDevice faults = o.faultInjection()
                ? new FaultInjectingDevice(base, o.time(), o.trackUnflushedWrites()) : null;
        FaultInjectingDevice spareFaults = o.faultInjection() && spareBase != null
                ? new FaultInjectingDevice(spareBase, o.time(), o.trackUnflushedWrites()) : null;
        BlockDevice b = faults != null ? faults : base;
        BlockDevice sd = spareFaults != null ? spareFaults : spareBase;

        Superblock sb = VolumeHeaders.readSuperblock(b, name, false);
        if (o.expectedLunUuid() != null && !o.expectedLunUuid().equals(sb.lunUuid())) {
            throw new MetadataException(name + ": holds LUN " + sb.lunUuid() + ", expected " + o.expectedLunUuid());
        }
        Layout l = sb.layout();
        if (l.externalSpare() && sd == null) {
            throw new MetadataException(name + ": formatted with a separate spare device, but none was given");
        }
        if (!l.externalSpare() && sd != null) {
            throw new MetadataException(name + ": has its spare area inside; a separate spare device was given");
        }
        if (sd != null) {
            VolumeHeaders.checkSpareHeader(sd, sb, sd.toString());
        }
        RegionDevice meta = new RegionDevice(b, 0, l.metaBlocks(), "metadata");
        RegionDevice data = new RegionDevice(b, l.dataStart(), l.dataBlocks(), "data");
        RegionDevice spare = new RegionDevice(sd != null ? sd : b, l.spareStart(), l.spareBlocks(), "spare");
        SpareAllocator allocator = new SpareAllocator(l.spareBlocks());
        // densely remapped regions are looked up in arrays; elsewhere the presence filter spares the hash lookups
        // for LBAs in regions that never held a remap
        RemapTable table = new DenseRegionTable(new PresenceFilteredTable(o.tables().get(), l.dataBlocks()),
                l.dataBlocks(), l.spareBlocks());
        RemapState state = new RemapState(table, allocator, l.dataBlocks(), l.spareBlocks());
        MetadataStore store = MetadataStore.recover(meta, List.of(spare), sb, state, name);
        List<BlockDevice> flushTargets = sd != null ? List.of(b, sd) : List.of(b);
        EngineCounters counters = new EngineCounters();
        Listeners listeners = new Listeners();
        HealthMonitor health = new HealthMonitor(o.degradedPercent(), listeners, name);
        RemappingBlockDevice engine = new RemappingBlockDevice(data, spare, flushTargets, store, o.engine(),
                counters, listeners, health, name);
        List<BlockDevice> owned = new ArrayList<>();
        owned.add(b);
        if (sd != null) {
            owned.add(sd);
        }
        LOG.info("{}: opened LUN {} ({} blocks, {} remapped, {} pending, health {})", name, sb.lunUuid(),
                l.dataBlocks(), state.table().size(), state.pendingCount(), health.current());
        return new RemapVolume(sb, owned, faults, spareFaults, cache, store, engine, counters, listeners, health,
                name);
    }

    /**
     * The cache for the spare area of layout {@code l} (on {@code spareDevice} if the volume has one, else inside
     * {@code backing}), or null when {@code o} gives it no memory. Opening refuses a mismatch between layout and
     * devices later, with its own message; no cache is made for one here.
     */
    private static CachingDevice spareCache(BlockDevice backing, BlockDevice spareDevice, Layout l, OpenOptions o) {
        BlockDevice holder = l.externalSpare() ? spareDevice : backing;
        long blocks = Math.min(l.spareBlocks(), o.spareCacheBytes() / backing.blockSize());
        if (holder == null || blocks == 0 || l.externalSpare() != (spareDevice != null)
                || l.spareStart() + l.spareBlocks() > holder.blockCount()) {
            return null;
        }
        return new CachingDevice(holder, l.spareStart(), l.spareBlocks(), (int) Math.min(blocks, Integer.MAX_VALUE));
    }

    // ------------------------------------------------------------------ accessors

    /** The block device to serve: the data area with remapping. */
    public RemappingBlockDevice device() {
        return engine;
    }

    public Superblock superblock() {
        return superblock;
    }

    public Layout layout() {
        return superblock.layout();
    }

    public UUID lunUuid() {
        return superblock.lunUuid();
    }

    /** Fault controls of the backing device (LBAs are backing-device LBAs: see {@link #layout()}). */
    public FaultInjectingDevice faults() {
        if (faults == null) {
            throw new IllegalStateException(name + ": opened without fault injection");
        }
        return faults;
    }

    /** Fault controls of the separate spare device. */
    public FaultInjectingDevice spareFaults() {
        if (spareFaults == null) {
            throw new IllegalStateException(name + ": no fault injection on a separate spare device");
        }
        return spareFaults;
    }

    /** The cache of the spare area (its hit and miss counts), empty when opened without cache memory. */
    public java.util.Optional<CachingDevice> spareCache() {
        return java.util.Optional.ofNullable(spareCache);
    }

    /** Backing-device LBA of data-area block {@code lba} (for fault rules). */
    public long backingLbaOfData(long lba) {
        return layout().dataStart() + lba;
    }

    /** LBA of spare {@code s} on the device holding the spare area (for fault rules). */
    public long deviceLbaOfSpare(long s) {
        return layout().spareStart() + s;
    }

    /** The metadata store (state, counters, recovery report): for diagnostics, tools and benchmarks. */
    public MetadataStore metadata() {
        return store;
    }

    public MetadataStore.RecoveryReport recoveryReport() {
        return store.recoveryReport();
    }

    public StatsSnapshot stats() {
        RemapState st = store.state();
        SpareAllocator a = st.spares();
        MetadataStore.Counters mc = store.counters();
        EngineCounters c = counters;
        return new StatsSnapshot(c.reads.sum(), c.writes.sum(), c.blocksRead.sum(), c.blocksWritten.sum(),
                c.flushes.sum(), c.discards.sum(), c.readErrors.sum(), c.writeErrors.sum(), c.retries.sum(),
                c.remaps.sum(), c.reallocationFailures.sum(), st.table().size(), st.pendingCount(), a.usedCount(),
                a.retiredCount(), a.capacity(), store.durableGeneration(), store.checkpointGeneration(),
                mc.commitGroups(), mc.records(), mc.checkpoints(), health.current(), c.readRetries.sum(),
                c.writeRetries.sum(), c.readsRecovered.sum(), c.writeErrorsReported.sum());
    }

    public Health health() {
        return health.current();
    }

    public List<Remap> remaps() {
        return maintenance.remaps();
    }

    public List<Long> pending() {
        return maintenance.pending();
    }

    /** Operator and scrub operations (also used by {@link org.remaptarget.remap.scrub.Scrubber}). */
    public VolumeMaintenance maintenance() {
        return maintenance;
    }

    /** See {@link VolumeMaintenance#remapNow(long)}. */
    public long remapNow(long lba) throws IOException {
        return maintenance.remapNow(lba);
    }

    public boolean clearPending(long lba) throws IOException {
        return maintenance.clearPending(lba);
    }

    public void addListener(VolumeListener l) {
        listeners.add(l);
    }

    public void removeListener(VolumeListener l) {
        listeners.remove(l);
    }

    /** Writes a checkpoint now. */
    public void checkpoint() throws IOException {
        store.checkpoint();
    }

    /** Clean close: final checkpoint, flush, close the devices. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        IOException first = null;
        try {
            store.close();
            engine.flush();
        } catch (IOException e) {
            first = e;
        }
        for (BlockDevice d : owned) {
            try {
                d.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        LOG.info("{}: closed", name);
        if (first != null) {
            throw first;
        }
    }
}
