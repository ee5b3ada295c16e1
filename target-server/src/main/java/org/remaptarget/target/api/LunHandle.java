package org.remaptarget.target.api;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.remaptarget.remap.device.BlockDevice;
import org.remaptarget.remap.device.Deallocator;
import org.remaptarget.remap.device.FileBlockDevice;
import org.remaptarget.remap.engine.FormatOptions;
import org.remaptarget.remap.engine.OpenOptions;
import org.remaptarget.remap.engine.RemapVolume;
import org.remaptarget.remap.fault.FaultInjectingDevice;
import org.remaptarget.remap.meta.MetadataException;
import org.remaptarget.remap.scrub.ScrubProgress;
import org.remaptarget.remap.scrub.Scrubber;
import org.remaptarget.remap.device.TimeSource;
import org.remaptarget.remap.table.IncrementalRemapTable;
import org.remaptarget.target.backend.BackendHealth;
import org.remaptarget.target.backend.DeviceBackend;
import org.remaptarget.target.backend.StorageCounters;
import org.remaptarget.remap.stats.StatsSnapshot;
import org.remaptarget.target.backend.LinuxSparseFiles;
import org.remaptarget.remap.engine.Remap;
import org.remaptarget.remap.stats.Health;
import org.remaptarget.target.config.ConfigException;
import org.remaptarget.target.config.LunConfig;
import org.remaptarget.target.config.TargetConfig;
import org.remaptarget.target.lun.FileImageStore;
import org.remaptarget.target.lun.LogicalUnit;
import org.remaptarget.target.lun.LunSettings;
import org.remaptarget.target.lun.MemoryImageStore;
import org.remaptarget.target.lun.SanitizeState;
import org.remaptarget.target.scsi.sbc.SbcCommands;
import org.remaptarget.remap.device.MemoryBlockDevice;

/**
 * One served LUN: its storage stack (a remap-engine volume, or the plain file for passthrough LUNs), the SCSI
 * logical unit over it, and the controls an operator or a test needs (stats, remaps, fault injection).
 * Owns the storage: {@link #closeQuietly()} checkpoints and closes it.
 */
public final class LunHandle {
    private static final Logger LOG = LogManager.getLogger(LunHandle.class);
    /** How long closing waits for a running SANITIZE to stop at its next step. */
    private static final long SANITIZE_STOP_MS = 10_000;

    private final String targetIqn;
    private final LunConfig config;
    private final RemapVolume volume;        // null for passthrough
    private final BlockDevice device;        // what the SCSI layer serves
    private final LogicalUnit logicalUnit;
    private final Object scrubLock = new Object();
    private Scrubber scrubber;               // guarded by scrubLock; the latest scrub, if any
    private Thread scrubThread;              // guarded by scrubLock

    private LunHandle(String targetIqn, LunConfig config, RemapVolume volume, BlockDevice device,
                      LogicalUnit logicalUnit) {
        this.targetIqn = targetIqn;
        this.config = config;
        this.volume = volume;
        this.device = device;
        this.logicalUnit = logicalUnit;
    }

    static LunHandle open(String source, TargetConfig target, LunConfig lc, RemapTarget.Options options)
            throws IOException, ConfigException {
        RemapVolume volume = null;
        BlockDevice device;
        if (lc.path() == null) {
            // an in-memory LUN (embedded use and tests): nothing survives close
            long blocks = lc.sizeBytes() / lc.blockSize();
            if (lc.passthrough()) {
                device = new MemoryBlockDevice(lc.blockSize(), blocks);
            } else {
                FormatOptions fo = FormatOptions.of(lc.blockSize(), blocks, lc.spareBytes() / lc.blockSize());
                MemoryBlockDevice backing = new MemoryBlockDevice(lc.blockSize(), fo.layout(false).backingBlocks());
                RemapVolume.format(backing, null, fo);
                volume = RemapVolume.open(backing, OpenOptions.defaults(IncrementalRemapTable::new)
                        .withFaultInjection(true).withDegradedPercent(lc.healthThreshold())
                        .withName(target.iqn() + "/" + lc.lun()));
                device = volume.device();
            }
        } else if (lc.passthrough()) {
            device = lc.sizeBytes() > 0 || !Files.exists(lc.path())
                    ? FileBlockDevice.openOrCreate(lc.path(), lc.blockSize(), lc.sizeBytes() / lc.blockSize(),
                            deallocator(lc))
                    : FileBlockDevice.open(lc.path(), lc.blockSize(), lc.readOnly(), deallocator(lc));
        } else {
            volume = openVolume(source, target, lc);
            device = volume.device();
        }
        try {
            if (volume != null && options.prepopulateRemaps() > 0) {
                prepopulate(volume, options.prepopulateRemaps());
            }
            LunSettings d = LunSettings.defaults(target.iqn(), lc.lun());
            LunSettings settings = new LunSettings(d.lun(), lc.serial() != null ? lc.serial() : d.serial(),
                    d.naaId(), d.vendor(), d.product(), d.revision(), lc.readOnly(), d.writeCacheEnabled(),
                    d.maxTransferBlocks(), d.optimalTransferBlocks(), d.maxWriteSameBlocks(), lc.thin(), lc.removable());
            java.nio.file.Path sanitizeRecord = lc.path() == null ? null : statePath(target, lc, ".sanitize");
            SanitizeState sanitize = sanitizeRecord == null ? new SanitizeState()
                    : new SanitizeState(new FileImageStore(sanitizeRecord), sanitizeRecord.toString());
            LogicalUnit lu = new LogicalUnit(settings,
                    new DeviceBackend(device, volume == null ? BackendHealth.NONE : new VolumeHealth(volume)),
                    lc.path() == null ? new MemoryImageStore() : new FileImageStore(statePath(target, lc, ".pr")),
                    sanitize);
            SbcCommands.resumeInterruptedSanitize(lu);
            return new LunHandle(target.iqn(), lc, volume, device, lu);
        } catch (IOException | RuntimeException e) {
            if (volume != null) {
                volume.close();
            } else {
                device.close();
            }
            throw e;
        }
    }

    private static RemapVolume openVolume(String source, TargetConfig target, LunConfig lc)
            throws IOException, ConfigException {
        OpenOptions oo = OpenOptions.defaults(IncrementalRemapTable::new).withFaultInjection(true)
                .withDegradedPercent(lc.healthThreshold()).withName(target.iqn() + "/" + lc.lun())
                .withSpareFile(lc.sparePath()).withDeallocator(deallocator(lc));
        if (lc.spareCacheBytes() >= 0) {
            oo = oo.withSpareCacheBytes(lc.spareCacheBytes());
        }
        if (!Files.exists(lc.path()) || Files.size(lc.path()) == 0) {
            if (lc.sizeBytes() == 0) {
                throw new ConfigException(source, "size", 0, lc.path() + " does not exist and no size is given");
            }
            FormatOptions fo = FormatOptions.of(lc.blockSize(), lc.sizeBytes() / lc.blockSize(),
                    lc.spareBytes() / lc.blockSize()).withSpareFile(lc.sparePath());
            LOG.info("creating LUN {} of {}: {} bytes at {}", lc.lun(), target.iqn(), lc.sizeBytes(), lc.path());
            return RemapVolume.format(lc.path(), fo, oo);
        }
        RemapVolume v;
        try {
            v = RemapVolume.open(lc.path(), oo);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ConfigException(source, "spare-path", 0, "LUN " + lc.lun() + " of " + target.iqn()
                    + ": " + e.getFile() + " does not exist");
        } catch (MetadataException e) {
            if (e.getMessage() != null && e.getMessage().contains("not formatted")) {
                throw new ConfigException(source, "path", 0, "LUN " + lc.lun() + " of " + target.iqn() + ": "
                        + lc.path() + " exists but holds no remap-target metadata; serve it as it is with "
                        + "'passthrough: true', or give a new path to create a remapped LUN there");
            }
            throw e;
        }
        long have = v.device().blockCount() * v.device().blockSize();
        if (lc.sizeBytes() != 0 && have != lc.sizeBytes()) {
            v.close();
            throw new ConfigException(source, "size", 0, lc.path() + " holds a LUN of " + have
                    + " bytes, not the configured " + lc.sizeBytes());
        }
        return v;
    }

    /**
     * How discarded blocks free space: punched holes (Linux, through JNA) on a thin LUN, zero-fill on a thick one
     * (a thick LUN keeps its space allocated).
     */
    private static Deallocator deallocator(LunConfig lc) {
        return lc.thin() ? LinuxSparseFiles.load() : Deallocator.NONE;
    }

    /**
     * The remap engine's health as the SCSI layer asks for it: DEGRADED or FAILED (spares running low or gone)
     * predicts failure (informational exception 5D/00); remapped LBAs are the grown defect list.
     */
    record VolumeHealth(RemapVolume volume) implements BackendHealth {
        @Override
        public boolean failurePredicted() {
            return volume.health() != Health.OK;
        }

        @Override
        public long[] grownDefects() {
            return volume.remaps().stream().mapToLong(Remap::lba).sorted().toArray();
        }

        /** LOG SENSE only: one stats snapshot (a few dozen adder sums), never on the I/O path. */
        @Override
        public StorageCounters counters() {
            StatsSnapshot s = volume.stats();
            long bs = volume.device().blockSize();
            int health = switch (s.health()) {
                case OK -> StorageCounters.HEALTH_OK;
                case DEGRADED -> StorageCounters.HEALTH_DEGRADED;
                case FAILED -> StorageCounters.HEALTH_FAILED;
            };
            return new StorageCounters(s.readRetries(), s.readsRecovered(), s.readErrors(), s.blocksRead() * bs,
                    s.writeRetries(), s.remaps(), s.reallocationFailures() + s.writeErrorsReported(),
                    s.blocksWritten() * bs, s.remapped(), s.pending(), s.sparesUsed(), s.sparesRetired(),
                    s.sparesTotal(), health);
        }
    }

    /**
     * Where persistent reservations with APTPL are kept: beside a backing file ({@code PATH.pr}); for a block
     * device, under {@code ./data}.
     */
    /**
     * Where a file-backed LUN keeps a piece of its SCSI state ({@code suffix} ".pr": APTPL reservations,
     * ".sanitize": an unfinished SANITIZE): beside its backing file, or under {@code data/} for a block device.
     */
    static java.nio.file.Path statePath(TargetConfig target, LunConfig lc, String suffix) {
        if (!Files.exists(lc.path()) || Files.isRegularFile(lc.path())) {
            return lc.path().resolveSibling(lc.path().getFileName() + suffix);
        }
        String safe = (target.iqn() + "-lun" + lc.lun()).replaceAll("[^A-Za-z0-9._-]", "_");
        return java.nio.file.Path.of("data", safe + suffix);
    }

    /** Benchmarks only: remaps {@code n} evenly spread blocks (their data is copied to spares). */
    private static void prepopulate(RemapVolume v, long n) throws IOException {
        long blocks = v.device().blockCount();
        long have = v.remaps().size();
        long step = Math.max(1, blocks / n);
        long done = 0;
        for (long lba = 0; lba < blocks && have + done < n; lba += step) {
            v.remapNow(lba);
            done++;
        }
        v.checkpoint();
        LOG.info("prepopulated {} remapped blocks", done);
    }

    /** The target this LUN belongs to. */
    public String targetIqn() {
        return targetIqn;
    }

    /** The LUN number. */
    public long lun() {
        return config.lun();
    }

    /** Its configuration. */
    public LunConfig config() {
        return config;
    }

    /** The remap-engine volume, empty for a passthrough LUN. */
    public Optional<RemapVolume> volume() {
        return Optional.ofNullable(volume);
    }

    /** The fault injector below the engine (drills and tests), empty for a passthrough LUN. */
    public Optional<FaultInjectingDevice> faults() {
        return volume == null ? Optional.empty() : Optional.ofNullable(volume.faults());
    }

    /** The SCSI logical unit (its counters). */
    public LogicalUnit logicalUnit() {
        return logicalUnit;
    }

    /**
     * Starts a patrol read of the data and spare areas at {@code blocksPerSecond}, marking unreadable blocks
     * pending; a running scrub is left alone. Returns its progress.
     */
    public ScrubProgress startScrub(long blocksPerSecond) {
        RemapVolume v = requireVolume();
        if (blocksPerSecond < 1) {
            throw new IllegalArgumentException("rate must be at least 1 block per second");
        }
        synchronized (scrubLock) {
            if (scrubThread != null && scrubThread.isAlive()) {
                return scrubber.progress();
            }
            Scrubber s = new Scrubber(v.maintenance(), TimeSource.system(), blocksPerSecond, 256);
            Thread t = new Thread(() -> {
                try {
                    s.run();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "scrub-" + targetIqn + "/" + config.lun());
            t.setDaemon(true);
            scrubber = s;
            scrubThread = t;
            t.start();
            LOG.info("scrub of LUN {} of {} started at {} blocks/s", config.lun(), targetIqn, blocksPerSecond);
            return s.progress();
        }
    }

    /** Progress of the latest scrub (IDLE when none ran). */
    public ScrubProgress scrubProgress() {
        requireVolume();
        synchronized (scrubLock) {
            return scrubber == null ? new ScrubProgress(0, 0, 0, ScrubProgress.State.IDLE) : scrubber.progress();
        }
    }

    /** Stops a running scrub and waits (bounded) for it to end. */
    public ScrubProgress stopScrub() {
        requireVolume();
        Thread t;
        synchronized (scrubLock) {
            if (scrubber == null) {
                return scrubProgress();
            }
            scrubber.stop();
            t = scrubThread;
        }
        try {
            t.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return scrubProgress();
    }

    private RemapVolume requireVolume() {
        if (volume == null) {
            throw new IllegalStateException("LUN " + config.lun() + " is a passthrough LUN: it has no remap engine");
        }
        return volume;
    }

    void closeQuietly() {
        synchronized (scrubLock) {
            if (scrubber != null) {
                scrubber.stop();
            }
        }
        try {
            // a running SANITIZE stops at its next step and stays recorded: it runs again at the next start
            if (!logicalUnit.sanitize().close(SANITIZE_STOP_MS)) {
                LOG.warn("LUN {} of {}: SANITIZE still running after {} ms; closing under it", config.lun(),
                        targetIqn, SANITIZE_STOP_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (volume != null) {
                volume.close();
            } else {
                device.close();
            }
        } catch (IOException e) {
            LOG.warn("closing LUN {} of {}: {}", config.lun(), targetIqn, e.getMessage());
        }
    }
}
