package org.remaptarget.remap.meta;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/**
 * Mutational fuzzing of metadata decoding (fixed seeds, bounded): superblocks mutated with and without a fixed-up
 * checksum, and whole metadata areas (superblocks, checkpoints, journal) with random corruption, are either
 * decoded/recovered or refused with {@link MetadataException}; no other exception escapes. The volume and the
 * recovery assertion come from {@link MetadataFuzzFixture}; the coverage-guided counterparts are the
 * {@code *GuidedFuzzTest}s in this package.
 */
class MetadataFuzzTest {
    private static final int BS = MetadataFuzzFixture.BS;
    private static final Layout LAYOUT = MetadataFuzzFixture.LAYOUT;
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
                // reach the field checks
                ByteBuffer.wrap(b).putInt(Superblock.CRC_OFFSET, MetadataFuzzFixture.crc(null, b, 0,
                        Superblock.CRC_OFFSET));
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
    void corruptedMetadataAreasRecoverOrThrowMetadataException() {
        SplittableRandom r = new SplittableRandom(0x5eed_0005L);
        long deadline = System.nanoTime() + MAX_MILLIS * 1_000_000L;
        int recovered = 0;
        int i = 0;
        for (; i < 20_000 && System.nanoTime() < deadline; i++) {
            byte[] b = MetadataFuzzFixture.VALID.copy();
            int blocks = 1 + r.nextInt(3);
            for (int k = 0; k < blocks; k++) {
                int blk = r.nextInt((int) LAYOUT.metaBlocks());
                mutate(b, r, blk * BS, blk * BS + BS);
            }
            if (MetadataFuzzFixture.recoversOrRefuses(b)) {
                recovered++;
            }
        }
        assertTrue(i >= 200, "only " + i + " inputs ran");
        assertTrue(recovered > 0, "some corruptions are repairable");
    }
}
