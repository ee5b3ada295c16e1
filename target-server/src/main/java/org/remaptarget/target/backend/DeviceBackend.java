package org.remaptarget.target.backend;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReference;
import org.remaptarget.remap.device.AllocationRun;
import org.remaptarget.remap.device.BlockDevice;
import org.remaptarget.remap.device.MediumErrorException;
import org.remaptarget.remap.device.ReallocationFailedException;
import org.remaptarget.remap.engine.ReadRecovery;
import org.remaptarget.remap.engine.RemappingBlockDevice;
import org.remaptarget.remap.engine.VolumeMaintenance;
import org.remaptarget.target.scsi.ScsiFailure;
import org.remaptarget.target.scsi.SenseReason;

/**
 * Adapts a remap-engine {@link BlockDevice} to {@link BlockBackend}: the only class that imports the engine, and the
 * only place its exceptions become sense reasons:
 * <ul>
 * <li>{@link ReallocationFailedException} → MEDIUM ERROR 0C/02 with the LBA in INFORMATION;</li>
 * <li>{@link MediumErrorException} → 11/00 (read) or 0C/00 (write) with the LBA in INFORMATION;</li>
 * <li>any other {@link IOException} → HARDWARE ERROR 44/00 on reads, MEDIUM ERROR 0C/00 on writes and flushes;</li>
 * <li>{@link IllegalArgumentException} (a range the caller failed to check) → 21/00.</li>
 * </ul>
 * Over a {@link RemappingBlockDevice} it also reports recovered errors (a write moved to a spare → 0C/01; a read
 * that needed retries → 17/01, or 17/06 when ARRE then moved the block), applies the error recovery page (AWRE,
 * ARRE, read retries) and reassigns blocks; over any other device those are the interface's defaults.
 * State: the device and the counter baseline of the last LOG SELECT reset (an atomic reference); no locks (the
 * device is thread-safe).
 */
public final class DeviceBackend implements BlockBackend {
    private static final int SAME_CHUNK = 1 << 20;

    private final BlockDevice device;
    private final int blockSize;
    private final BackendHealth health;
    private final RemappingBlockDevice remap; // the device when it remaps, else null
    private final VolumeMaintenance maintenance; // manual remaps on it, else null
    /** Counters at the last LOG SELECT reset (null: never reset); the log pages show the difference. */
    private final AtomicReference<StorageCounters> counterBaseline = new AtomicReference<>();

    public DeviceBackend(BlockDevice device) {
        this(device, BackendHealth.NONE);
    }

    /** @param health the storage's own health report (failure prediction, grown defect list) */
    public DeviceBackend(BlockDevice device, BackendHealth health) {
        this.device = device;
        this.blockSize = device.blockSize();
        this.health = health;
        this.remap = device instanceof RemappingBlockDevice r ? r : null;
        this.maintenance = remap == null ? null : new VolumeMaintenance(remap);
    }

    @Override
    public boolean failurePredicted() {
        return health.failurePredicted();
    }

    @Override
    public long[] grownDefects() {
        return health.grownDefects();
    }

    @Override
    public StorageCounters counters() {
        StorageCounters now = health.counters();
        return now == null ? null : now.since(counterBaseline.get());
    }

    @Override
    public void resetCounters(boolean reads, boolean writes) {
        StorageCounters now = health.counters();
        if (now != null) {
            counterBaseline.updateAndGet(old -> StorageCounters.rebase(old, now, reads, writes));
        }
    }

    @Override
    public RecoveredError writeRecovering(long lba, int blocks, byte[] src, int off, boolean fua)
            throws ScsiFailure {
        if (remap == null) {
            write(lba, blocks, src, off, fua);
            return null;
        }
        try {
            long moved = remap.writeReporting(lba, ByteBuffer.wrap(src, off, blocks * blockSize), fua);
            return moved < 0 ? null
                    : new RecoveredError(SenseReason.WRITE_ERROR_RECOVERED_WITH_AUTO_REALLOCATION, moved);
        } catch (IOException e) {
            throw map(e, true);
        } catch (IllegalArgumentException e) {
            throw ScsiFailure.of(SenseReason.LBA_OUT_OF_RANGE);
        }
    }

    @Override
    public RecoveredError readRecovering(long lba, int blocks, byte[] dst, int off) throws ScsiFailure {
        if (remap == null) {
            read(lba, blocks, dst, off);
            return null;
        }
        return readRecovering(lba, blocks, ByteBuffer.wrap(dst, off, blocks * blockSize));
    }

    @Override
    public RecoveredError readRecovering(long lba, int blocks, ByteBuffer dst) throws ScsiFailure {
        if (remap == null) {
            read(lba, blocks, dst);
            return null;
        }
        try {
            ReadRecovery r = remap.readReporting(lba, dst.slice(dst.position(), blocks * blockSize));
            return r == null ? null : new RecoveredError(r.reallocated()
                    ? SenseReason.RECOVERED_DATA_AUTO_REALLOCATED : SenseReason.RECOVERED_DATA_WITH_RETRIES, r.lba());
        } catch (IOException e) {
            throw map(e, false);
        } catch (IllegalArgumentException e) {
            throw ScsiFailure.of(SenseReason.LBA_OUT_OF_RANGE);
        }
    }

    /** Most read retries the engine accepts; larger mode page values are clamped to it. */
    static final int MAX_READ_RETRIES = 100;

    @Override
    public void applyErrorRecovery(boolean autoReallocateOnWrite, boolean autoReallocateOnRead, int readRetries) {
        if (remap != null) {
            remap.setAutoReallocateOnWrite(autoReallocateOnWrite);
            remap.setAutoReallocateOnRead(autoReallocateOnRead);
            remap.setReadRetries(Math.max(0, Math.min(MAX_READ_RETRIES, readRetries)));
        }
    }

    @Override
    public void reassign(long lba) throws ScsiFailure {
        if (remap == null) {
            BlockBackend.super.reassign(lba);
            return;
        }
        try {
            if (maintenance.remapNow(lba) < 0 && maintenance.freeSpares() == 0) {
                // unreadable, marked pending: only a spare for its next write would complete the reassignment
                throw ScsiFailure.of(SenseReason.NO_DEFECT_SPARE_LOCATION_AVAILABLE);
            }
        } catch (ReallocationFailedException e) {
            throw ScsiFailure.of(SenseReason.NO_DEFECT_SPARE_LOCATION_AVAILABLE);
        } catch (IOException e) {
            throw ScsiFailure.of(SenseReason.INTERNAL_TARGET_FAILURE);
        } catch (IllegalArgumentException e) {
            throw ScsiFailure.of(SenseReason.LBA_OUT_OF_RANGE);
        }
    }

    @Override
    public int blockSize() {
        return blockSize;
    }

    @Override
    public long blockCount() {
        return device.blockCount();
    }

    @Override
    public void read(long lba, int blocks, byte[] dst, int off) throws ScsiFailure {
        try {
            device.read(lba, ByteBuffer.wrap(dst, off, blocks * blockSize));
        } catch (IOException e) {
            throw map(e, false);
        } catch (IllegalArgumentException e) {
            throw ScsiFailure.of(SenseReason.LBA_OUT_OF_RANGE);
        }
    }

    @Override
    public void read(long lba, int blocks, ByteBuffer dst) throws ScsiFailure {
        try {
            device.read(lba, dst.slice(dst.position(), blocks * blockSize));
        } catch (IOException e) {
            throw map(e, false);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw ScsiFailure.of(SenseReason.LBA_OUT_OF_RANGE);
        }
    }

    @Override
    public void write(long lba, int blocks, byte[] src, int off, boolean fua) throws ScsiFailure {
        try {
            device.write(lba, ByteBuffer.wrap(src, off, blocks * blockSize), fua);
        } catch (IOException e) {
            throw map(e, true);
        } catch (IllegalArgumentException e) {
            throw ScsiFailure.of(SenseReason.LBA_OUT_OF_RANGE);
        }
    }

    @Override
    public void flush() throws ScsiFailure {
        try {
            device.flush();
        } catch (IOException e) {
            throw map(e, true);
        }
    }

    @Override
    public void writeZeros(long lba, long blocks) throws ScsiFailure {
        try {
            device.discard(lba, blocks);
        } catch (IOException e) {
            throw map(e, true);
        } catch (IllegalArgumentException e) {
            throw ScsiFailure.of(SenseReason.LBA_OUT_OF_RANGE);
        }
    }

    @Override
    public LbaRun lbaStatus(long lba, long maxBlocks) throws ScsiFailure {
        try {
            AllocationRun run = device.allocation(lba, maxBlocks);
            return new LbaRun(run.mapped(), Math.min(maxBlocks, run.length()));
        } catch (IOException e) {
            throw map(e, false);
        } catch (IllegalArgumentException e) {
            throw ScsiFailure.of(SenseReason.LBA_OUT_OF_RANGE);
        }
    }

    @Override
    public void writeSame(long lba, long blocks, byte[] src, int off, boolean fua) throws ScsiFailure {
        if (blocks == 0) {
            return;
        }
        int perChunk = (int) Math.min(blocks, SAME_CHUNK / blockSize);
        byte[] chunk = new byte[perChunk * blockSize];
        for (int i = 0; i < perChunk; i++) {
            System.arraycopy(src, off, chunk, i * blockSize, blockSize);
        }
        long done = 0;
        while (done < blocks) {
            int n = (int) Math.min(perChunk, blocks - done);
            write(lba + done, n, chunk, 0, false);
            done += n;
        }
        if (fua) {
            flush();
        }
    }

    static ScsiFailure map(IOException e, boolean write) {
        if (e instanceof ReallocationFailedException r) {
            return ScsiFailure.at(SenseReason.WRITE_ERROR_AUTO_REALLOCATION_FAILED, r.lba());
        }
        if (e instanceof MediumErrorException m) {
            boolean isWrite = m.isWrite() || write;
            return ScsiFailure.at(isWrite ? SenseReason.WRITE_ERROR : SenseReason.UNRECOVERED_READ_ERROR, m.lba());
        }
        return ScsiFailure.of(write ? SenseReason.WRITE_ERROR : SenseReason.INTERNAL_TARGET_FAILURE);
    }

    @Override
    public void close() throws IOException {
        device.close();
    }

    @Override
    public String toString() {
        return "DeviceBackend[" + device + "]";
    }
}
