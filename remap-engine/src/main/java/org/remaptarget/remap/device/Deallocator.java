package org.remaptarget.remap.device;

import java.io.IOException;
import java.nio.file.Path;

/**
 * How a {@link FileBlockDevice} frees the space of a byte range of its file and asks which ranges hold data. The
 * engine depends on the JDK only, so the operating-system calls (Linux {@code fallocate(PUNCH_HOLE)} and
 * {@code lseek(SEEK_DATA/SEEK_HOLE)}) are supplied by the composition root; {@link #NONE} is the portable default:
 * nothing is deallocated (the device writes zeros instead) and every range counts as holding data.
 *
 * <p>Implementations are stateless or thread-safe: devices call them from many I/O threads at once.
 */
public interface Deallocator {
    /** Frees nothing, knows nothing: the device zero-fills and reports every block mapped. */
    Deallocator NONE = new Deallocator() {
        @Override
        public boolean deallocate(Path file, long offset, long length) {
            return false;
        }

        @Override
        public String toString() {
            return "zero-fill";
        }
    };

    /**
     * Frees {@code [offset, offset+length)} of {@code file} so that it reads as zeros and occupies no space, keeping
     * the file size. Returns false when it could not (unsupported file system, block device): the caller then writes
     * zeros. Throws only when the range may be left half-done in a way that reads neither old data nor zeros.
     */
    boolean deallocate(Path file, long offset, long length) throws IOException;

    /**
     * The run of bytes starting at {@code offset} (at most {@code length} long) that is uniformly allocated or
     * uniformly a hole. The default knows nothing and calls the whole range allocated, which is always safe: an
     * allocated range may read as zeros, a hole never holds data.
     */
    default AllocationRun allocation(Path file, long offset, long length) throws IOException {
        return new AllocationRun(true, length);
    }
}
