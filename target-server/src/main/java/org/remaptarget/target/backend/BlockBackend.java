package org.remaptarget.target.backend;

import java.nio.ByteBuffer;

import org.remaptarget.target.scsi.ScsiFailure;
import org.remaptarget.target.scsi.SenseReason;

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

    /**
     * Reads {@code blocks} blocks at {@code lba} into {@code dst[position, position + blocks * blockSize)} (a direct
     * buffer lets file storage read without an intermediate copy). {@code dst}'s position and limit are unchanged.
     * The default copies through an array.
     */
    default void read(long lba, int blocks, ByteBuffer dst) throws ScsiFailure {
        int n = blocks * blockSize();
        if (dst.hasArray()) {
            read(lba, blocks, dst.array(), dst.arrayOffset() + dst.position());
            return;
        }
        byte[] tmp = new byte[n];
        read(lba, blocks, tmp, 0);
        dst.duplicate().put(tmp);
    }

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

    /**
     * Writes like {@link #write} and says whether the storage recovered the write by moving a block to a spare:
     * null when nothing needed recovery (the common case allocates nothing), else 0C/01 naming the block (the
     * highest one when several moved). The data is written either way. Storage that never reallocates just writes.
     */
    default RecoveredError writeRecovering(long lba, int blocks, byte[] src, int off, boolean fua)
            throws ScsiFailure {
        write(lba, blocks, src, off, fua);
        return null;
    }

    /**
     * Reads like {@link #read} and says whether a block could be read only on a retry: null when not, else 17/01
     * (recovered with retries) or 17/06 (recovered and moved to a spare) naming the block. Storage without retries
     * just reads.
     */
    default RecoveredError readRecovering(long lba, int blocks, byte[] dst, int off) throws ScsiFailure {
        read(lba, blocks, dst, off);
        return null;
    }

    /** As {@link #readRecovering(long, int, byte[], int)}, into a (direct) buffer from its position. */
    default RecoveredError readRecovering(long lba, int blocks, java.nio.ByteBuffer dst) throws ScsiFailure {
        read(lba, blocks, dst);
        return null;
    }

    /**
     * Applies the read-write error recovery mode page (01h) to the storage: AWRE (a write error is reallocated, or
     * returned as MEDIUM ERROR 0C/00), ARRE, and the read retry count (clamped to what the storage supports).
     * Storage without these controls ignores it. Thread-safe; affects I/O that starts afterwards.
     */
    default void applyErrorRecovery(boolean autoReallocateOnWrite, boolean autoReallocateOnRead, int readRetries) {
    }

    /**
     * REASSIGN BLOCKS for one LBA: moves it to a spare, copying its data when readable. An unreadable block is
     * not filled with invented data: it stays unreadable (11/00) until the next write, which lands on a spare.
     * Fails with NO DEFECT SPARE LOCATION AVAILABLE (32/00) when no spare is left, which is all storage without
     * spares can say.
     */
    default void reassign(long lba) throws ScsiFailure {
        throw ScsiFailure.of(SenseReason.NO_DEFECT_SPARE_LOCATION_AVAILABLE);
    }

    /**
     * The storage's error-recovery and spare counters for the log pages (cumulative ones counted from the last
     * {@link #resetCounters(boolean, boolean)}), or null when it keeps none.
     */
    default StorageCounters counters() {
        return null;
    }

    /**
     * LOG SELECT's reset: the cumulative read counters (when {@code reads}) and write counters (when
     * {@code writes}) start again from zero.
     */
    default void resetCounters(boolean reads, boolean writes) {
    }

    /** Releases the storage. */
    @Override
    void close() throws Exception;
}
