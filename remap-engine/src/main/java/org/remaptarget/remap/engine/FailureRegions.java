package org.remaptarget.remap.engine;

import java.io.IOException;
import org.remaptarget.remap.device.MediumErrorException;
import org.remaptarget.remap.table.RegionBitmap;

/**
 * Where a range path's one-call device access (a read-through in {@link RangeReader}, a write-through in
 * {@link RangeWriter}) failed, so that later requests touching those places split at remapped blocks at once and a
 * failing primary costs one failed call, not one per request.
 *
 * <p>A {@link RegionBitmap} of regions of at least {@code 2^MIN_REGION_SHIFT} blocks, at most
 * {@code 2^MAX_REGIONS_LOG2} of them (256 KiB of bits) whatever the volume size. A failure marks the region of the
 * block a medium error names when that block lies in the range, else every region of the range. Bits are set
 * lock-free and never cleared while the device is open. Thread-safe.
 */
final class FailureRegions {
    /** Smallest region: 2^4 blocks. */
    static final int MIN_REGION_SHIFT = 4;
    /** At most 2^this regions. */
    static final int MAX_REGIONS_LOG2 = 21;

    private final RegionBitmap regions;

    FailureRegions(long dataBlocks) {
        this.regions = new RegionBitmap(dataBlocks, MIN_REGION_SHIFT, MAX_REGIONS_LOG2);
    }

    /** True if a one-call access of {@code [lba, +n)} failed somewhere in its regions before. */
    boolean any(long lba, int n) {
        return regions.any(lba, n);
    }

    /** Records that the one-call access of {@code [lba, +n)} failed with {@code e}. */
    void failed(long lba, int n, IOException e) {
        if (e instanceof MediumErrorException m && m.lba() >= lba && m.lba() < lba + n) {
            regions.set(m.lba()); // the device named the block: a later request finds the next failing one
        } else {
            regions.set(lba, n);
        }
    }
}
