package org.remaptarget.remap.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SuperblockTest {
    private final Superblock sb = new Superblock(Superblock.VERSION, Superblock.Role.VOLUME, UUID.randomUUID(),
            UUID.randomUUID(), UUID.randomUUID(), 7, Layout.compute(4096, 1000, 300, true));

    @Test
    void superblockSurvivesEncodeAndDecode() throws MetadataException {
        assertEquals(sb, Superblock.decode(ByteBuffer.wrap(sb.encode()), "x"));
    }

    @Test
    void anyFlippedByteIsCaughtByTheChecksum() {
        for (int i = 8; i < Superblock.ENCODED_BYTES; i += 7) {
            byte[] b = sb.encode();
            b[i] ^= 1;
            assertThrows(MetadataException.class, () -> Superblock.decode(ByteBuffer.wrap(b), "x"));
        }
    }

    @Test
    void newerFormatVersionIsRefusedByName() {
        Superblock future = new Superblock(2, sb.role(), sb.lunUuid(), sb.dataUuid(), sb.spareUuid(), 1,
                sb.layout());
        MetadataException e = assertThrows(MetadataException.class,
                () -> Superblock.decode(ByteBuffer.wrap(future.encode()), "disk"));
        assertTrue(e.getMessage().contains("unsupported format version 2"), e.getMessage());
    }

    @Test
    void metadataAreaGrowsWithTheSpareCountSoACheckpointHoldsEverySpare() {
        Layout small = Layout.compute(512, 1000, 100, false);
        Layout big = Layout.compute(512, 1000, 100_000, false);
        assertTrue(big.metaBlocks() > small.metaBlocks());
        assertTrue(big.checkpointCapacity() >= 2 * 100_000);
        assertTrue(small.checkpointCapacity() >= 200);
        assertTrue(big.spareStart() >= big.dataStart() + big.dataBlocks());
        assertEquals(big.metaBlocks() + 1000 + 100_000, big.backingBlocks());
    }
}
