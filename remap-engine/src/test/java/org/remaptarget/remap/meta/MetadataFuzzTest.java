package org.remaptarget.remap.meta;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.zip.CRC32C;

import org.junit.jupiter.api.Test;
import org.remaptarget.remap.device.BlockDevice;
import org.remaptarget.remap.device.MemoryBlockDevice;
import org.remaptarget.remap.device.RegionDevice;
import org.remaptarget.remap.engine.TestRemapTable;
import org.remaptarget.remap.spare.SpareAllocator;

/**
 * Mutational fuzzing of metadata decoding (fixed seeds, bounded): superblocks mutated with and without a fixed-up
 * checksum, and whole metadata areas (superblocks, checkpoints, journal) with random corruption, are either
 * decoded/recovered or refused with {@link MetadataException}; no other exception escapes.
 */
class MetadataFuzzTest {
    private static final int BS = 512;
    private static final Layout LAYOUT = Layout.compute(BS, 100, 40, false);
    private static final long MAX_MILLIS = 8_000;

    private static void mutate(byte[] b, SplittableRandom r, int from, int to) {
        int n = 1 + r.nextInt(6);
        for (int i = 0; i < n; i++) {
            int at = from + r.nextInt(to - from);
            switch (r.nextInt(4)) {
                case 0 -> b[at] ^= (byte) (1 << r.nextInt(8));
                case 1 -> b[at] = (byte) r.nextInt(256);
                case 2 -> b[at] = (byte) (r.nextBoolean() ? 0 : 0xff);
                default -> {
                    if (at + 8 <= to) {
                        long v = switch (r.nextInt(4)) {
                            case 0 -> -1L;
                            case 1 -> Long.MAX_VALUE;
                            case 2 -> 0;
                            default -> r.nextLong(1 << 20);
                        };
                        ByteBuffer.wrap(b).putLong(at, v);
                    }
                }
            }
        }
    }

    @Test
    void mutatedSuperblocksDecodeOrThrowMetadataException() {
        SplittableRandom r = new SplittableRandom(0x5eed_0004L);
        byte[] valid = new Superblock(Superblock.VERSION, Superblock.Role.VOLUME, UUID.randomUUID(),
                UUID.randomUUID(), UUID.randomUUID(), 7, LAYOUT).encode();
        long deadline = System.nanoTime() + MAX_MILLIS * 1_000_000L;
        int decoded = 0;
        int i = 0;
        for (; i < 100_000 && System.nanoTime() < deadline; i++) {
            byte[] b = java.util.Arrays.copyOf(valid, BS);
            mutate(b, r, 0, Superblock.ENCODED_BYTES);
            if (r.nextBoolean()) {
                CRC32C c = new CRC32C();
                c.update(b, 0, Superblock.CRC_OFFSET);
                ByteBuffer.wrap(b).putInt(Superblock.CRC_OFFSET, (int) c.getValue()); // reach the field checks
            }
            try {
                Superblock.decode(ByteBuffer.wrap(b), "fuzz");
                decoded++;
            } catch (MetadataException expected) {
                // refused with a reason: fine
            } catch (RuntimeException e) {
                fail("superblock input #" + i + " threw " + e + ": " + HexFormat.of().formatHex(b, 0,
                        Superblock.ENCODED_BYTES), e);
            }
        }
        assertTrue(i >= 1000, "only " + i + " inputs ran");
        assertTrue(decoded > 0 && decoded < i, decoded + " of " + i + " decoded");
    }

    @Test
    void corruptedMetadataAreasRecoverOrThrowMetadataException() throws IOException {
        MemoryBlockDevice base = new MemoryBlockDevice(BS, LAYOUT.backingBlocks());
        Superblock sb = new Superblock(Superblock.VERSION, Superblock.Role.VOLUME, UUID.randomUUID(),
                UUID.randomUUID(), UUID.randomUUID(), 1, LAYOUT);
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
        SplittableRandom r = new SplittableRandom(0x5eed_0005L);
        long deadline = System.nanoTime() + MAX_MILLIS * 1_000_000L;
        int recovered = 0;
        int i = 0;
        for (; i < 20_000 && System.nanoTime() < deadline; i++) {
            byte[] b = image.clone();
            int blocks = 1 + r.nextInt(3);
            for (int k = 0; k < blocks; k++) {
                int blk = r.nextInt((int) LAYOUT.metaBlocks());
                mutate(b, r, blk * BS, blk * BS + BS);
            }
            MemoryBlockDevice dev = new MemoryBlockDevice(BS, LAYOUT.backingBlocks());
            for (int blk = 0; blk < LAYOUT.metaBlocks(); blk++) {
                dev.write(blk, ByteBuffer.wrap(b, blk * BS, BS), false);
            }
            try {
                open(dev);
                recovered++;
            } catch (MetadataException expected) {
                // refused with a reason: fine
            } catch (IOException | RuntimeException e) {
                fail("metadata input #" + i + " threw " + e, e);
            }
        }
        assertTrue(i >= 200, "only " + i + " inputs ran");
        assertTrue(recovered > 0, "some corruptions are repairable");
    }

    private static MetadataStore open(BlockDevice d) throws IOException {
        Superblock sb = VolumeHeaders.readSuperblock(d, "dev", false);
        RemapState st = new RemapState(new TestRemapTable(), new SpareAllocator(LAYOUT.spareBlocks()),
                LAYOUT.dataBlocks(), LAYOUT.spareBlocks());
        return MetadataStore.recover(new RegionDevice(d, 0, LAYOUT.metaBlocks(), "meta"), List.of(d), sb, st, "dev");
    }
}
