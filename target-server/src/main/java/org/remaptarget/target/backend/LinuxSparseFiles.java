package org.remaptarget.target.backend;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.remaptarget.remap.device.AllocationRun;
import org.remaptarget.remap.device.Deallocator;

/**
 * The Linux implementation of the engine's {@link Deallocator}: frees a byte range of a backing file with
 * {@code fallocate(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE)} and finds data and holes with
 * {@code lseek(SEEK_DATA / SEEK_HOLE)}, through JNA. Each call opens the file by path and closes it again (no file
 * descriptor is cached, so nothing outlives the device that owns the file).
 *
 * <p>When the C library cannot be loaded (not Linux), {@link #load()} answers {@link Deallocator#NONE}. A file
 * system that cannot punch holes makes {@link #deallocate} return false: the device then writes zeros. A file
 * system that does not track holes reports every range as data (the always-safe answer). Stateless and
 * thread-safe.
 */
public final class LinuxSparseFiles implements Deallocator {
    private static final Logger LOG = LogManager.getLogger(LinuxSparseFiles.class);

    private static final int O_RDONLY = 0;
    private static final int O_WRONLY = 1;
    private static final int O_CLOEXEC = 0x80000;
    private static final int FALLOC_FL_KEEP_SIZE = 0x01;
    private static final int FALLOC_FL_PUNCH_HOLE = 0x02;
    private static final int SEEK_DATA = 3;
    private static final int SEEK_HOLE = 4;
    private static final int ENXIO = 6;

    /** The libc calls used (64-bit off_t: Linux on LP64 machines). */
    interface CLibrary extends Library {
        int open(String path, int flags) throws LastErrorException;

        int close(int fd) throws LastErrorException;

        int fallocate(int fd, int mode, long offset, long length) throws LastErrorException;

        long lseek(int fd, long offset, int whence) throws LastErrorException;
    }

    private final CLibrary libc;

    private LinuxSparseFiles(CLibrary libc) {
        this.libc = libc;
    }

    /** The JNA-backed implementation on Linux, {@link Deallocator#NONE} elsewhere or when libc cannot be bound. */
    public static Deallocator load() {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")
                || !"64".equals(System.getProperty("sun.arch.data.model", "64"))) {
            return Deallocator.NONE;
        }
        try {
            return new LinuxSparseFiles(Native.load("c", CLibrary.class));
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            LOG.warn("hole punching unavailable ({}); discarded blocks will be zero-filled", e.toString());
            return Deallocator.NONE;
        }
    }

    @Override
    public boolean deallocate(Path file, long offset, long length) throws IOException {
        if (length <= 0) {
            return true;
        }
        int fd = open(file, O_WRONLY);
        if (fd < 0) {
            return false;
        }
        try {
            libc.fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, offset, length);
            return true;
        } catch (LastErrorException e) {
            LOG.debug("fallocate(PUNCH_HOLE) on {} failed: errno {}", file, e.getErrorCode());
            return false;
        } finally {
            closeQuietly(fd);
        }
    }

    @Override
    public AllocationRun allocation(Path file, long offset, long length) throws IOException {
        int fd = open(file, O_RDONLY);
        if (fd < 0) {
            return new AllocationRun(true, length);
        }
        try {
            long data;
            try {
                data = libc.lseek(fd, offset, SEEK_DATA);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == ENXIO) { // no data at or after offset: a hole to the end of the file
                    return new AllocationRun(false, length);
                }
                return new AllocationRun(true, length);
            }
            if (data > offset) {
                return new AllocationRun(false, Math.min(length, data - offset));
            }
            long hole = libc.lseek(fd, offset, SEEK_HOLE);
            return new AllocationRun(true, Math.max(1, Math.min(length, hole - offset)));
        } catch (LastErrorException e) {
            return new AllocationRun(true, length);
        } finally {
            closeQuietly(fd);
        }
    }

    private int open(Path file, int flags) {
        try {
            return libc.open(file.toAbsolutePath().toString(), flags | O_CLOEXEC);
        } catch (LastErrorException e) {
            LOG.debug("open({}) failed: errno {}", file, e.getErrorCode());
            return -1;
        }
    }

    private void closeQuietly(int fd) {
        try {
            libc.close(fd);
        } catch (LastErrorException e) {
            LOG.debug("close({}) failed: errno {}", fd, e.getErrorCode());
        }
    }

    @Override
    public String toString() {
        return "linux-punch-hole";
    }
}
