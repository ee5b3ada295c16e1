package org.remaptarget.remap.engine;

import java.nio.file.Path;
import java.util.UUID;
import org.remaptarget.remap.meta.Layout;

/**
 * How to format a volume.
 *
 * @param blockSize   512 or 4096
 * @param dataBlocks  usable capacity in blocks
 * @param spareBlocks spare blocks for remapping (also sizes the metadata area)
 * @param spareFile   a separate spare file or device, or null to put the spare area on the backing device
 * @param lunUuid     the LUN's identity, or null for a random one
 * @param force       overwrite a device that already holds a volume
 */
public record FormatOptions(int blockSize, long dataBlocks, long spareBlocks, Path spareFile, UUID lunUuid,
                            boolean force) {

    public static FormatOptions of(int blockSize, long dataBlocks, long spareBlocks) {
        return new FormatOptions(blockSize, dataBlocks, spareBlocks, null, null, false);
    }

    public FormatOptions withSpareFile(Path p) {
        return new FormatOptions(blockSize, dataBlocks, spareBlocks, p, lunUuid, force);
    }

    public FormatOptions withLunUuid(UUID u) {
        return new FormatOptions(blockSize, dataBlocks, spareBlocks, spareFile, u, force);
    }

    public FormatOptions withForce(boolean f) {
        return new FormatOptions(blockSize, dataBlocks, spareBlocks, spareFile, lunUuid, f);
    }

    /** The on-disk layout these options produce. */
    public Layout layout(boolean externalSpare) {
        return Layout.compute(blockSize, dataBlocks, spareBlocks, externalSpare);
    }
}
