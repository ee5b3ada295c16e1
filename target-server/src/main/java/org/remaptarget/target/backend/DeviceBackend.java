package org.remaptarget.target.backend;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.remaptarget.remap.device.AllocationRun;
import org.remaptarget.remap.device.BlockDevice;
import org.remaptarget.remap.device.MediumErrorException;
import org.remaptarget.remap.device.ReallocationFailedException;
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
 * Stateless apart from the device; no locks (the device is thread-safe).
 */
public final class DeviceBackend implements BlockBackend {
    private static final int SAME_CHUNK = 1 << 20;

    private final BlockDevice device;
    private final int blockSize;
    private final BackendHealth health;

    public DeviceBackend(BlockDevice device) {
        this(device, BackendHealth.NONE);
    }

    /** @param health the storage's own health report (failure prediction, grown defect list) */
    public DeviceBackend(BlockDevice device, BackendHealth health) {
        this.device = device;
        this.blockSize = device.blockSize();
        this.health = health;
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
