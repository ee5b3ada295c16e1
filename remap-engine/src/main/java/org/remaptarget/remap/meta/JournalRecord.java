package org.remaptarget.remap.meta;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * One journal record: a single change to the persistent remap state. 32 bytes on disk (see FORMAT.md), protected
 * by a CRC32C seeded with the volume's identity, so a record from another volume or an earlier format never
 * verifies.
 *
 * @param generation position in the volume's single, ever-growing generation sequence (assigned at commit)
 * @param op         what changes
 * @param flags      op-specific flags ({@link #RETIRE_PREVIOUS})
 * @param lba        data-area block concerned, or -1
 * @param spare      spare index concerned, or -1
 */
public record JournalRecord(long generation, Op op, int flags, long lba, long spare) {

    /** MAP: the spare that held {@code lba} before failed and is retired (otherwise it is freed). */
    public static final int RETIRE_PREVIOUS = 1;

    static final short MAGIC = 0x524A; // "RJ"

    /** Operations; the code is the on-disk byte. */
    public enum Op {
        /** {@code lba} now lives on {@code spare}; clears its pending mark. */
        MAP(1),
        /** {@code spare} failed and is never used again. */
        RETIRE(2),
        /** {@code lba} could not be read: pending reallocation. */
        PENDING(3),
        /** {@code lba} is no longer pending. */
        CLEAR_PENDING(4);

        final int code;

        Op(int code) {
            this.code = code;
        }

        static Op of(int code) {
            for (Op o : values()) {
                if (o.code == code) {
                    return o;
                }
            }
            return null;
        }
    }

    public static JournalRecord map(long lba, long spare, int flags) {
        return new JournalRecord(0, Op.MAP, flags, lba, spare);
    }

    public static JournalRecord retire(long spare) {
        return new JournalRecord(0, Op.RETIRE, 0, -1, spare);
    }

    public static JournalRecord pending(long lba) {
        return new JournalRecord(0, Op.PENDING, 0, lba, -1);
    }

    public static JournalRecord clearPending(long lba) {
        return new JournalRecord(0, Op.CLEAR_PENDING, 0, lba, -1);
    }

    public JournalRecord withGeneration(long g) {
        return new JournalRecord(g, op, flags, lba, spare);
    }

    /** Writes the 32-byte form at {@code dst}'s position (advancing it). */
    void encode(ByteBuffer dst, byte[] seed) {
        int start = dst.position();
        dst.putInt(0).putShort(MAGIC).put((byte) op.code).put((byte) flags).putLong(generation).putLong(lba)
                .putLong(spare);
        dst.putInt(start, crc(dst, start, seed));
    }

    /** Result of decoding one slot. */
    enum Slot { EMPTY, BAD, OK }

    /**
     * Decodes the slot at {@code src}'s position (advancing it by 32 bytes). Returns null for an empty (all-zero
     * magic) or invalid slot; {@code kind[0]} says which.
     */
    static JournalRecord decode(ByteBuffer src, byte[] seed, Slot[] kind) {
        int start = src.position();
        src.position(start + Layout.RECORD_BYTES);
        int stored = src.getInt(start);
        short magic = src.getShort(start + 4);
        if (magic == 0 && stored == 0) {
            kind[0] = Slot.EMPTY;
            return null;
        }
        Op op = Op.of(src.get(start + 6) & 0xff);
        if (magic != MAGIC || op == null || stored != crc(src, start, seed)) {
            kind[0] = Slot.BAD;
            return null;
        }
        kind[0] = Slot.OK;
        return new JournalRecord(src.getLong(start + 8), op, src.get(start + 7) & 0xff, src.getLong(start + 16),
                src.getLong(start + 24));
    }

    private static int crc(ByteBuffer b, int start, byte[] seed) {
        CRC32C c = new CRC32C();
        c.update(seed);
        ByteBuffer body = b.duplicate();
        body.limit(start + Layout.RECORD_BYTES).position(start + 4);
        c.update(body);
        return (int) c.getValue();
    }
}
