package org.remaptarget.remap.meta;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;
import org.remaptarget.remap.device.BlockDevice;

/**
 * Reads and writes one checkpoint copy: a header block and entry blocks, each with magic, the checkpoint's
 * generation and a CRC32C seeded with the volume identity (layout in FORMAT.md). A copy is valid only if every
 * block verifies and carries the header's generation, so a torn write (old and new blocks mixed) is detected.
 *
 * <p>Stateless apart from its configuration; not thread-safe per call (callers hold the metadata store's exclusive
 * section).
 */
final class CheckpointCodec {
    static final int HEADER_MAGIC = 0x52435048; // "RCPH"
    static final int ENTRY_MAGIC = 0x52435045; // "RCPE"
    static final int VERSION = 1;
    private static final int CHUNK_BLOCKS = 256;

    private final BlockDevice meta;
    private final Layout layout;
    private final byte[] seed;

    CheckpointCodec(BlockDevice meta, Layout layout, byte[] seed) {
        this.meta = meta;
        this.layout = layout;
        this.seed = seed;
    }

    /** A decoded, verified checkpoint. Entry kinds: mapping (both >= 0), retired (lba -1), pending (spare -1). */
    record Image(long generation, long mappings, long retired, long pending, long[] lbas, long[] spares) {
    }

    /** Reads copy {@code copy} (0 = A, 1 = B); throws {@link MetadataException} saying why it is not valid. */
    Image read(int copy, String where) throws IOException {
        int bs = layout.blockSize();
        long start = layout.checkpointStart(copy);
        ByteBuffer h = ByteBuffer.allocate(bs);
        meta.read(start, h);
        h.flip();
        if (h.getInt(4) != HEADER_MAGIC) {
            throw new MetadataException(where + ": no checkpoint header (magic 0x" + Integer.toHexString(h.getInt(4))
                    + ")");
        }
        if (h.getInt(0) != crc(h)) {
            throw new MetadataException(where + ": checkpoint header checksum mismatch");
        }
        if (h.getInt(8) != VERSION) {
            throw new MetadataException(where + ": unsupported checkpoint version " + h.getInt(8));
        }
        long gen = h.getLong(16);
        long mappings = h.getLong(24);
        long retired = h.getLong(32);
        long pending = h.getLong(40);
        long entryBlocks = h.getLong(48);
        long capacity = layout.checkpointCapacity();
        int per = layout.entriesPerBlock();
        // each count is bounded before they are added, so the sum cannot wrap (found by CheckpointGuidedFuzzTest)
        boolean countsInRange = mappings >= 0 && retired >= 0 && pending >= 0 && mappings <= capacity
                && retired <= capacity && pending <= capacity;
        long total = mappings + retired + pending;
        if (!countsInRange || total > capacity || entryBlocks != (total + per - 1) / per) {
            throw new MetadataException(where + ": checkpoint header counts impossible");
        }
        long[] lbas = new long[(int) total];
        long[] spares = new long[(int) total];
        int idx = 0;
        for (long b = 0; b < entryBlocks; b += CHUNK_BLOCKS) {
            int n = (int) Math.min(CHUNK_BLOCKS, entryBlocks - b);
            ByteBuffer chunk = ByteBuffer.allocate(n * bs);
            meta.read(start + 1 + b, chunk);
            for (int i = 0; i < n; i++) {
                ByteBuffer blk = chunk.duplicate();
                blk.position(i * bs).limit((i + 1) * bs);
                blk = blk.slice();
                long blockIndex = b + i;
                int count = blk.getInt(20);
                int want = (int) Math.min(per, total - blockIndex * per);
                if (blk.getInt(4) != ENTRY_MAGIC || blk.getInt(0) != crc(blk) || blk.getLong(8) != gen
                        || blk.getInt(16) != blockIndex || count != want) {
                    throw new MetadataException(where + ": checkpoint entry block " + blockIndex
                            + " is torn or corrupt");
                }
                for (int e = 0; e < count; e++) {
                    lbas[idx] = blk.getLong(Layout.ENTRY_BLOCK_HEADER + e * Layout.ENTRY_BYTES);
                    spares[idx] = blk.getLong(Layout.ENTRY_BLOCK_HEADER + e * Layout.ENTRY_BYTES + 8);
                    idx++;
                }
            }
        }
        return new Image(gen, mappings, retired, pending, lbas, spares);
    }

    /** Writes a checkpoint into copy {@code copy} and flushes it. The entries must be mappings, retired, pending. */
    void write(int copy, long generation, long mappings, long retired, long pending, long[] lbas, long[] spares)
            throws IOException {
        int bs = layout.blockSize();
        long total = mappings + retired + pending;
        if (total > layout.checkpointCapacity()) {
            throw new MetadataException("checkpoint of " + total + " entries exceeds capacity "
                    + layout.checkpointCapacity());
        }
        int per = layout.entriesPerBlock();
        long entryBlocks = (total + per - 1) / per;
        long start = layout.checkpointStart(copy);
        int idx = 0;
        for (long b = 0; b < entryBlocks; b += CHUNK_BLOCKS) {
            int n = (int) Math.min(CHUNK_BLOCKS, entryBlocks - b);
            ByteBuffer chunk = ByteBuffer.allocate(n * bs);
            for (int i = 0; i < n; i++) {
                ByteBuffer blk = chunk.duplicate();
                blk.position(i * bs).limit((i + 1) * bs);
                blk = blk.slice();
                int count = (int) Math.min(per, total - (b + i) * per);
                blk.putInt(4, ENTRY_MAGIC).putLong(8, generation).putInt(16, (int) (b + i)).putInt(20, count);
                for (int e = 0; e < count; e++) {
                    blk.putLong(Layout.ENTRY_BLOCK_HEADER + e * Layout.ENTRY_BYTES, lbas[idx]);
                    blk.putLong(Layout.ENTRY_BLOCK_HEADER + e * Layout.ENTRY_BYTES + 8, spares[idx]);
                    idx++;
                }
                blk.putInt(0, crc(blk));
            }
            meta.write(start + 1 + b, chunk, false);
        }
        ByteBuffer h = ByteBuffer.allocate(bs);
        h.putInt(4, HEADER_MAGIC).putInt(8, VERSION).putLong(16, generation).putLong(24, mappings)
                .putLong(32, retired).putLong(40, pending).putLong(48, entryBlocks);
        h.putInt(0, crc(h));
        meta.write(start, h, false);
        meta.flush();
    }

    private int crc(ByteBuffer block) {
        CRC32C c = new CRC32C();
        c.update(seed);
        ByteBuffer body = block.duplicate();
        body.position(4).limit(block.capacity());
        c.update(body);
        return (int) c.getValue();
    }
}
