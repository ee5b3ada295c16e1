package org.remaptarget.remap.meta;

import java.nio.ByteBuffer;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * The superblock: identity (LUN, data and spare UUIDs) and geometry of a volume, written at format time in two
 * copies (blocks 0 and 1) and, for a separate spare device, as that device's header (role {@link Role#SPARE}).
 * Immutable; {@link #encode} and {@link #decode} are the only code that knows its byte layout (see FORMAT.md).
 */
public record Superblock(int version, Role role, UUID lunUuid, UUID dataUuid, UUID spareUuid, long generation,
                         Layout layout) {

    /** "RMAPSUPR". */
    public static final long MAGIC = 0x524D415053555052L;
    public static final int VERSION = 1;
    static final int CRC_OFFSET = 152;
    static final int ENCODED_BYTES = 156;

    /** What the device holding this header is. */
    public enum Role {
        VOLUME(1), SPARE(2);

        final int code;

        Role(int code) {
            this.code = code;
        }

        static Role of(int code) {
            for (Role r : values()) {
                if (r.code == code) {
                    return r;
                }
            }
            return null;
        }
    }

    /** Encodes into a whole block. */
    public byte[] encode() {
        Layout l = layout;
        ByteBuffer b = ByteBuffer.allocate(l.blockSize());
        b.putLong(MAGIC).putInt(version).putInt(role.code);
        putUuid(b, lunUuid);
        putUuid(b, dataUuid);
        putUuid(b, spareUuid);
        b.putLong(generation).putInt(l.blockSize()).putInt(l.externalSpare() ? 1 : 0);
        b.putLong(l.metaBlocks()).putLong(l.checkpointStart(0)).putLong(l.checkpointBlocks())
                .putLong(l.journalStart()).putLong(l.journalBlocks()).putLong(l.dataStart()).putLong(l.dataBlocks())
                .putLong(l.spareStart()).putLong(l.spareBlocks());
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, CRC_OFFSET);
        b.putInt(CRC_OFFSET, (int) crc.getValue());
        return b.array();
    }

    /**
     * Decodes a superblock, or throws {@link MetadataException} saying what is wrong ({@code where} names the
     * device and copy in the message).
     */
    public static Superblock decode(ByteBuffer block, String where) throws MetadataException {
        ByteBuffer b = block.duplicate().order(java.nio.ByteOrder.BIG_ENDIAN);
        if (b.remaining() < ENCODED_BYTES) {
            throw new MetadataException(where + ": block too small for a superblock");
        }
        int base = b.position();
        long magic = b.getLong(base);
        if (magic != MAGIC) {
            boolean zero = true;
            for (int i = 0; i < ENCODED_BYTES && zero; i++) {
                zero = b.get(base + i) == 0;
            }
            throw new MetadataException(where + (zero ? ": no superblock (device not formatted)"
                    : ": not a remap-target volume (bad superblock magic 0x" + Long.toHexString(magic) + ")"));
        }
        byte[] raw = new byte[ENCODED_BYTES];
        b.get(base, raw);
        CRC32C crc = new CRC32C();
        crc.update(raw, 0, CRC_OFFSET);
        int stored = ByteBuffer.wrap(raw).getInt(CRC_OFFSET);
        if (stored != (int) crc.getValue()) {
            throw new MetadataException(where + ": superblock checksum mismatch (corrupt)");
        }
        ByteBuffer r = ByteBuffer.wrap(raw);
        r.getLong();
        int version = r.getInt();
        if (version != VERSION) {
            throw new MetadataException(where + ": unsupported format version " + version + " (this build reads "
                    + VERSION + ")");
        }
        Role role = Role.of(r.getInt());
        if (role == null) {
            throw new MetadataException(where + ": unknown superblock role");
        }
        UUID lun = getUuid(r);
        UUID data = getUuid(r);
        UUID spare = getUuid(r);
        long generation = r.getLong();
        int blockSize = r.getInt();
        boolean external = r.getInt() == 1;
        long metaBlocks = r.getLong();
        r.getLong(); // checkpoint start: derived
        long cpBlocks = r.getLong();
        r.getLong(); // journal start: derived
        long journalBlocks = r.getLong();
        long dataStart = r.getLong();
        long dataBlocks = r.getLong();
        long spareStart = r.getLong();
        long spareBlocks = r.getLong();
        Layout layout;
        try {
            layout = new Layout(blockSize, cpBlocks, journalBlocks, dataBlocks, spareBlocks, external);
        } catch (IllegalArgumentException e) {
            throw new MetadataException(where + ": impossible geometry in superblock: " + e.getMessage());
        }
        if (layout.metaBlocks() != metaBlocks || layout.dataStart() != dataStart
                || layout.spareStart() != spareStart) {
            throw new MetadataException(where + ": inconsistent geometry in superblock");
        }
        return new Superblock(version, role, lun, data, spare, generation, layout);
    }

    private static void putUuid(ByteBuffer b, UUID u) {
        b.putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
    }

    private static UUID getUuid(ByteBuffer b) {
        return new UUID(b.getLong(), b.getLong());
    }

    /** The same identity and geometry as a separate spare device's header. */
    public Superblock asSpareHeader() {
        return new Superblock(version, Role.SPARE, lunUuid, dataUuid, spareUuid, generation, layout);
    }

    /** The 32 bytes (LUN UUID, data UUID) that seed every metadata checksum of this volume. */
    public byte[] checksumSeed() {
        ByteBuffer b = ByteBuffer.allocate(32);
        putUuid(b, lunUuid);
        putUuid(b, dataUuid);
        return b.array();
    }
}
