package org.remaptarget.remap.meta;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32C;

import org.remaptarget.remap.device.BlockDevice;
import org.remaptarget.remap.device.MemoryBlockDevice;
import org.remaptarget.remap.device.RegionDevice;
import org.remaptarget.remap.engine.TestRemapTable;
import org.remaptarget.remap.spare.SpareAllocator;

/**
 * A small formatted volume whose metadata area the metadata fuzzers corrupt (the mutational
 * {@link MetadataFuzzTest} and the coverage-guided {@code *GuidedFuzzTest}s in this package), the CRC32C rules of
 * FORMAT.md as a test oracle (to seal fuzzed blocks and records, and to check that nothing with a wrong checksum is
 * ever accepted), and the one assertion they all make: recovery either succeeds or refuses with
 * {@link MetadataException}, never any other exception.
 */
final class MetadataFuzzFixture {
    static final int BS = 512;
    static final Layout LAYOUT = Layout.compute(BS, 100, 40, false);
    /** The valid volume: superblocks, a checkpoint with six remaps, two journal records after it. */
    static final Image VALID = format();

    /** A metadata area (blocks 0 .. metaBlocks-1), its checksum seed and its newest checkpoint generation. */
    record Image(byte[] bytes, byte[] seed, long generation) {
        byte[] copy() {
            return bytes.clone();
        }
    }

    private MetadataFuzzFixture() {
    }

    private static Image format() {
        try {
            MemoryBlockDevice base = new MemoryBlockDevice(BS, LAYOUT.backingBlocks());
            Superblock sb = new Superblock(Superblock.VERSION, Superblock.Role.VOLUME, new UUID(1, 2),
                    new UUID(3, 4), new UUID(5, 6), 1, LAYOUT);
            VolumeHeaders.format(base, null, sb);
            MetadataStore s = open(base);
            for (int lba = 0; lba < 6; lba++) {
                s.commit(List.of(JournalRecord.map(lba * 3, s.state().spares().allocate(), 0)));
            }
            s.checkpoint();
            s.commit(List.of(JournalRecord.pending(50), JournalRecord.map(51, s.state().spares().allocate(), 0)));
            byte[] image = new byte[(int) (LAYOUT.metaBlocks() * BS)];
            ByteBuffer all = ByteBuffer.wrap(image);
            for (long blk = 0; blk < LAYOUT.metaBlocks(); blk++) {
                ByteBuffer one = ByteBuffer.allocate(BS);
                base.read(blk, one);
                all.put(one.array());
            }
            long generation = 0;
            for (int c = 0; c < 2; c++) {
                try {
                    generation = Math.max(generation, checkpoint(image, sb.checksumSeed(), c).generation());
                } catch (MetadataException unused) {
                    // the other copy is the newest
                }
            }
            return new Image(image, sb.checksumSeed(), generation);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A device holding {@code image} as its metadata area (the data and spare areas are zero). */
    static MemoryBlockDevice device(byte[] image) {
        MemoryBlockDevice dev = new MemoryBlockDevice(BS, LAYOUT.backingBlocks());
        for (int blk = 0; blk < image.length / BS; blk++) {
            dev.write(blk, ByteBuffer.wrap(image, blk * BS, BS), false);
        }
        return dev;
    }

    /** Decodes checkpoint copy {@code copy} of {@code image}. */
    static CheckpointCodec.Image checkpoint(byte[] image, byte[] seed, int copy) throws IOException {
        BlockDevice meta = new RegionDevice(device(image), 0, LAYOUT.metaBlocks(), "meta");
        return new CheckpointCodec(meta, LAYOUT, seed).read(copy, "fuzz checkpoint");
    }

    /** Recovers the volume on {@code d} (superblock, checkpoints, journal), as opening a LUN does. */
    static MetadataStore open(BlockDevice d) throws IOException {
        Superblock sb = VolumeHeaders.readSuperblock(d, "dev", false);
        RemapState st = new RemapState(new TestRemapTable(), new SpareAllocator(LAYOUT.spareBlocks()),
                LAYOUT.dataBlocks(), LAYOUT.spareBlocks());
        return MetadataStore.recover(new RegionDevice(d, 0, LAYOUT.metaBlocks(), "meta"), List.of(d), sb, st, "dev");
    }

    /**
     * Recovers a volume whose metadata area is {@code image}: returns whether it opened; a refusal must be a
     * {@link MetadataException}, anything else fails the test.
     */
    static boolean recoversOrRefuses(byte[] image) {
        try {
            open(device(image));
            return true;
        } catch (MetadataException refused) {
            return false;
        } catch (IOException | RuntimeException e) {
            return fail("metadata recovery threw " + e + " instead of MetadataException", e);
        }
    }

    /** CRC32C of {@code seed} followed by {@code b[from, to)}: every metadata checksum except the superblock's. */
    static int crc(byte[] seed, byte[] b, int from, int to) {
        CRC32C c = new CRC32C();
        if (seed != null) {
            c.update(seed);
        }
        c.update(b, from, to - from);
        return (int) c.getValue();
    }

    /** Whether the big-endian checksum stored at {@code at} covers {@code b[at + 4, to)}. */
    static boolean sealed(byte[] seed, byte[] b, int at, int to) {
        return ByteBuffer.wrap(b).getInt(at) == crc(seed, b, at + 4, to);
    }

    /** Stores the checksum of {@code b[at + 4, to)} at {@code at}, as the encoders do. */
    static void seal(byte[] seed, byte[] b, int at, int to) {
        ByteBuffer.wrap(b).putInt(at, crc(seed, b, at + 4, to));
    }
}
