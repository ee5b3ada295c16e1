package org.remaptarget.remap.meta;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.remaptarget.remap.device.BlockDevice;
import org.remaptarget.remap.table.RemapTable;

/**
 * Recovery steps after the newest valid checkpoint is chosen: loading its entries and replaying the journal records
 * that follow it (consecutive generations; stop at the first torn or stale slot; refuse on a record from a newer,
 * lost checkpoint epoch). Stateless.
 */
final class JournalReplay {
    private static final int SCAN_CHUNK = 256;

    private JournalReplay() {
    }

    /** Applies a verified checkpoint image to an empty state; throws IllegalStateException if inconsistent. */
    static void load(RemapState state, CheckpointCodec.Image im) {
        for (int i = 0; i < im.lbas().length; i++) {
            long lba = im.lbas()[i];
            long spare = im.spares()[i];
            JournalRecord r;
            if (i < im.mappings()) {
                r = JournalRecord.map(lba, spare, 0);
                if (state.table().get(lba) != RemapTable.NOT_MAPPED) {
                    throw new IllegalStateException("LBA " + lba + " mapped twice");
                }
            } else if (i < im.mappings() + im.retired()) {
                r = JournalRecord.retire(spare);
                if (state.spares().isUsed(spare)) {
                    throw new IllegalStateException("spare " + spare + " both mapped and retired");
                }
            } else {
                r = JournalRecord.pending(lba);
            }
            state.apply(r, true);
        }
    }

    /** Replays consecutive valid records after {@code base} into {@code state}; returns how many. */
    static long replay(BlockDevice meta, Layout layout, byte[] seed, RemapState state, long base, String name)
            throws IOException {
        int bs = layout.blockSize();
        int per = layout.recordsPerBlock();
        long expected = base + 1;
        JournalRecord.Slot[] kind = new JournalRecord.Slot[1];
        long jStart = layout.journalStart();
        for (long b = 0; b < layout.journalBlocks(); b += SCAN_CHUNK) {
            int n = (int) Math.min(SCAN_CHUNK, layout.journalBlocks() - b);
            ByteBuffer chunk = ByteBuffer.allocate(n * bs);
            meta.read(jStart + b, chunk);
            for (int i = 0; i < n; i++) {
                for (int slot = 0; slot < per; slot++) {
                    chunk.position(i * bs + slot * Layout.RECORD_BYTES);
                    JournalRecord r = JournalRecord.decode(chunk, seed, kind);
                    if (kind[0] == JournalRecord.Slot.EMPTY && slot > 0) {
                        break; // rest of a group's last block
                    }
                    if (r == null || r.generation() < expected) {
                        return expected - base - 1;
                    }
                    if (r.generation() > expected) {
                        throw new MetadataException(name + ": journal block " + (b + i) + " holds generation "
                                + r.generation() + " but the newest valid checkpoint (generation " + base
                                + ") expects " + expected + ": a newer checkpoint was lost; refusing to open");
                    }
                    try {
                        state.apply(r, true);
                    } catch (IllegalStateException e) {
                        throw new MetadataException(name + ": journal record generation " + r.generation()
                                + " contradicts the checkpoint: " + e.getMessage());
                    }
                    expected++;
                }
            }
        }
        return expected - base - 1;
    }
}
