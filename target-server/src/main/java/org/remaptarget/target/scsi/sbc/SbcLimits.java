package org.remaptarget.target.scsi.sbc;

import org.remaptarget.target.lun.LogicalUnit;

/**
 * The limits the block limits VPD page (B0h) reports for the SBC commands that enforce them, in one place so the
 * page and the handlers never disagree.
 */
public final class SbcLimits {
    private SbcLimits() {
    }

    /** MAXIMUM COMPARE AND WRITE LENGTH. */
    public static int maxCompareAndWriteBlocks() {
        return ReadModifyWriteHandlers.MAX_COMPARE_AND_WRITE_BLOCKS;
    }

    /** MAXIMUM UNMAP LBA COUNT (0 on a fully provisioned LU). */
    public static long maxUnmapBlocks(LogicalUnit lu) {
        return lu.thin() ? ProvisioningHandlers.MAX_UNMAP_BLOCKS : 0;
    }

    /** MAXIMUM UNMAP BLOCK DESCRIPTOR COUNT (0 on a fully provisioned LU). */
    public static int maxUnmapDescriptors(LogicalUnit lu) {
        return lu.thin() ? ProvisioningHandlers.MAX_UNMAP_DESCRIPTORS : 0;
    }

    /** OPTIMAL UNMAP GRANULARITY in blocks (0 on a fully provisioned LU). */
    public static int unmapGranularity(LogicalUnit lu) {
        return lu.thin() ? ProvisioningHandlers.unmapGranularity(lu.blockSize()) : 0;
    }

    /** MAXIMUM ATOMIC TRANSFER LENGTH. */
    public static int maxAtomicBlocks(LogicalUnit lu) {
        return WriteAtomicHandler.maxAtomicBlocks(lu);
    }
}
