package org.remaptarget.remap.device;

/**
 * A run of blocks (or bytes, where a {@link Deallocator} speaks about files) that is either all mapped (may hold
 * data) or all deallocated (reads as zeros and occupies no space).
 *
 * @param mapped true when the run is allocated; false when it is deallocated
 * @param length length of the run (blocks for {@link BlockDevice#allocation}, bytes for {@link Deallocator}), at
 *               least 1
 */
public record AllocationRun(boolean mapped, long length) {
    public AllocationRun {
        if (length < 1) {
            throw new IllegalArgumentException("allocation run of " + length);
        }
    }
}
