package org.remaptarget.remap.meta;

/**
 * Where everything lives on the backing device, in blocks. The areas never overlap: superblock copies, checkpoint
 * copies A and B and the journal form the metadata area {@code [0, metaBlocks)}, followed by the data area and (unless
 * the spare area is on a separate device) the spare area. On a separate spare device, block 0 is that device's own
 * header and spares start at block 1.
 *
 * @param blockSize        bytes per block
 * @param checkpointBlocks blocks per checkpoint copy (header block + entry blocks)
 * @param journalBlocks    blocks of journal
 * @param dataBlocks       usable capacity: blocks the volume exports
 * @param spareBlocks      spare blocks available for remapping
 * @param externalSpare    true when the spare area is on its own device
 */
public record Layout(int blockSize, long checkpointBlocks, long journalBlocks, long dataBlocks, long spareBlocks,
                     boolean externalSpare) {

    /** Superblock copies live at blocks 0 and 1. */
    public static final int SUPERBLOCK_COPIES = 2;
    /** Bytes of one checkpoint entry. */
    public static final int ENTRY_BYTES = 16;
    /** Bytes of the header of a checkpoint entry block. */
    public static final int ENTRY_BLOCK_HEADER = 32;
    /** Bytes of one journal record. */
    public static final int RECORD_BYTES = 32;

    public Layout {
        if (blockSize != 512 && blockSize != 4096) {
            throw new IllegalArgumentException("block size must be 512 or 4096, not " + blockSize);
        }
        if (dataBlocks < 1 || spareBlocks < 1 || spareBlocks > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("need at least one data block and 1.." + Integer.MAX_VALUE / 2
                    + " spare blocks (got " + dataBlocks + " and " + spareBlocks + ")");
        }
        if (checkpointBlocks < 2 || journalBlocks < 1) {
            throw new IllegalArgumentException("metadata area too small");
        }
    }

    /**
     * Sizes the metadata area from the spare count: a checkpoint must hold every spare in use, every retired spare
     * and up to {@code spareBlocks} pending blocks, so {@code 2 x spareBlocks} entries; the journal gets as many
     * blocks as a checkpoint copy (at least 64, at most 16384) so checkpoints stay rare.
     */
    public static Layout compute(int blockSize, long dataBlocks, long spareBlocks, boolean externalSpare) {
        long perBlock = entriesPerBlock(blockSize);
        long entryBlocks = (2 * spareBlocks + perBlock - 1) / perBlock;
        long cp = 1 + Math.max(1, entryBlocks);
        long journal = Math.max(64, Math.min(16384, cp));
        // Pad the journal so the data area starts on a 4 KiB boundary of the backing file: a discard of the whole
        // data area then frees whole file-system blocks (punched holes), leaving no partly-used block at its start.
        long perPage = Math.max(1, 4096 / blockSize);
        long meta = SUPERBLOCK_COPIES + 2 * cp + journal;
        journal += (perPage - meta % perPage) % perPage;
        return new Layout(blockSize, cp, journal, dataBlocks, spareBlocks, externalSpare);
    }

    public static int entriesPerBlock(int blockSize) {
        return (blockSize - ENTRY_BLOCK_HEADER) / ENTRY_BYTES;
    }

    public int entriesPerBlock() {
        return entriesPerBlock(blockSize);
    }

    public int recordsPerBlock() {
        return blockSize / RECORD_BYTES;
    }

    /** Most entries a checkpoint copy can hold. */
    public long checkpointCapacity() {
        return (checkpointBlocks - 1) * entriesPerBlock();
    }

    public long checkpointStart(int copy) {
        return SUPERBLOCK_COPIES + copy * checkpointBlocks;
    }

    public long journalStart() {
        return SUPERBLOCK_COPIES + 2 * checkpointBlocks;
    }

    public long metaBlocks() {
        return journalStart() + journalBlocks;
    }

    public long dataStart() {
        return metaBlocks();
    }

    /** First spare block: on the backing device after the data area, or block 1 of a separate spare device. */
    public long spareStart() {
        return externalSpare ? 1 : dataStart() + dataBlocks;
    }

    /** Blocks the backing device must have. */
    public long backingBlocks() {
        return metaBlocks() + dataBlocks + (externalSpare ? 0 : spareBlocks);
    }

    /** Blocks a separate spare device must have (its header block plus the spares). */
    public long spareDeviceBlocks() {
        return 1 + spareBlocks;
    }
}
