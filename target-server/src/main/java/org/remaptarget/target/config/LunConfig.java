package org.remaptarget.target.config;

import java.nio.file.Path;

/**
 * One logical unit as configured.
 *
 * @param lun             LUN number (0..16383)
 * @param path            backing file or block device; null for an in-memory LUN (embedded use: nothing persists)
 * @param sizeBytes       usable capacity in bytes (a multiple of the block size); 0 = take the existing file's size
 * @param blockSize       512 or 4096
 * @param serial          unit serial number (VPD 80); null = derived from target IQN and LUN
 * @param readOnly        write-protected LUN
 * @param passthrough     serve the backing file directly, without the remap engine
 * @param spareBytes      spare area size for remapping (ignored with passthrough)
 * @param sparePath       separate spare file/device, or null for a region of the backing file
 * @param healthThreshold spare use (percent) above which the LUN reports DEGRADED
 * @param thin            thin provisioned: UNMAP / WRITE SAME UNMAP free space in the backing file (default true)
 * @param removable       removable medium (RMB = 1; eject and load with START STOP UNIT); default false
 * @param spareCacheBytes memory for the cache of the spare area (remapped blocks' data read from memory), in bytes;
 *                        0 = none, -1 = the engine's default (64 MiB; taken only as spares are used)
 */
public record LunConfig(int lun, Path path, long sizeBytes, int blockSize, String serial, boolean readOnly,
                        boolean passthrough, long spareBytes, Path sparePath, int healthThreshold, boolean thin,
                        boolean removable, long spareCacheBytes) {

    /** A LUN with the engine's default spare cache. */
    public LunConfig(int lun, Path path, long sizeBytes, int blockSize, String serial, boolean readOnly,
                     boolean passthrough, long spareBytes, Path sparePath, int healthThreshold, boolean thin,
                     boolean removable) {
        this(lun, path, sizeBytes, blockSize, serial, readOnly, passthrough, spareBytes, sparePath, healthThreshold,
                thin, removable, -1);
    }

    /** A fixed-disk LUN, thin or thick. */
    public LunConfig(int lun, Path path, long sizeBytes, int blockSize, String serial, boolean readOnly,
                     boolean passthrough, long spareBytes, Path sparePath, int healthThreshold, boolean thin) {
        this(lun, path, sizeBytes, blockSize, serial, readOnly, passthrough, spareBytes, sparePath, healthThreshold,
                thin, false);
    }

    /** A thin-provisioned LUN (the default for file-backed LUNs). */
    public LunConfig(int lun, Path path, long sizeBytes, int blockSize, String serial, boolean readOnly,
                     boolean passthrough, long spareBytes, Path sparePath, int healthThreshold) {
        this(lun, path, sizeBytes, blockSize, serial, readOnly, passthrough, spareBytes, sparePath, healthThreshold,
                true);
    }
}
