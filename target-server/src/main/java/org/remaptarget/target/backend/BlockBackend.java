package org.remaptarget.target.backend;

import org.remaptarget.target.scsi.ScsiFailure;

/**
 * What a logical unit needs from storage, in SCSI terms: fixed geometry, block I/O into caller-owned arrays
 * (zero-copy into the Data-In buffer), durability (FUA, flush) and bulk operations. Every failure is a
 * {@link ScsiFailure} naming the sense reason and, for medium errors, the failing LBA. Callers validate ranges
 * first. Implementations are safe for concurrent use.
 */
public interface BlockBackend extends AutoCloseable {

    /** Bytes per logical block. */
    int blockSize();

    /** Number of logical blocks. */
    long blockCount();

    /** Reads {@code blocks} blocks at {@code lba} into {@code dst[off..]}. */
    void read(long lba, int blocks, byte[] dst, int off) throws ScsiFailure;

    /** Writes {@code blocks} blocks at {@code lba} from {@code src[off..]}; durable on return when {@code fua}. */
    void write(long lba, int blocks, byte[] src, int off, boolean fua) throws ScsiFailure;

    /** Makes every completed write durable. */
    void flush() throws ScsiFailure;

    /** Afterwards {@code [lba, lba+blocks)} reads as zeros (deallocating when the storage can). */
    void writeZeros(long lba, long blocks) throws ScsiFailure;

    /**
     * The provisioning state from {@code lba} on: the longest run of at most {@code maxBlocks} blocks that is all
     * mapped or all deallocated (GET LBA STATUS). The default knows nothing and reports the range mapped.
     */
    default LbaRun lbaStatus(long lba, long maxBlocks) throws ScsiFailure {
        return new LbaRun(true, maxBlocks);
    }

    /** Writes the one-block {@code pattern} (at {@code src[off..]}) to every block of the range. */
    void writeSame(long lba, long blocks, byte[] src, int off, boolean fua) throws ScsiFailure;

    /**
     * True when the storage predicts its own failure (for the remap engine: spare space running out). Reported to
     * initiators as an informational exception (5D/00) when the LU's informational exceptions page enables it.
     * Called after successful commands while reporting is enabled, so it must be cheap (a volatile read).
     */
    default boolean failurePredicted() {
        return false;
    }

    /** The grown defect list (remapped LBAs, ascending), or null when the storage keeps none. */
    default long[] grownDefects() {
        return null;
    }

    /** Releases the storage. */
    @Override
    void close() throws Exception;
}
