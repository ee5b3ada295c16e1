package org.remaptarget.remap.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing (Jazzer) of {@link Superblock#decode}: any block, optionally sealed with its correct
 * CRC32C so the field checks behind the checksum are reached, decodes or is refused with {@link MetadataException};
 * a decoded superblock had a matching checksum and encodes to a block that decodes to the same superblock.
 * Regression inputs: {@code SuperblockGuidedFuzzTestInputs/}.
 */
class SuperblockGuidedFuzzTest {

    @FuzzTest(maxDuration = "1m")
    void anyBlockDecodesToASuperblockOrIsRefused(FuzzedDataProvider data) throws MetadataException {
        boolean seal = data.consumeBoolean();
        byte[] b = data.consumeRemainingAsBytes();
        if (seal && b.length >= Superblock.ENCODED_BYTES) {
            ByteBuffer.wrap(b).putInt(Superblock.CRC_OFFSET, MetadataFuzzFixture.crc(null, b, 0,
                    Superblock.CRC_OFFSET));
        }
        Superblock sb;
        try {
            sb = Superblock.decode(ByteBuffer.wrap(b), "fuzz");
        } catch (MetadataException refused) {
            return;
        }
        assertTrue(b.length >= Superblock.ENCODED_BYTES);
        assertEquals(ByteBuffer.wrap(b).getInt(Superblock.CRC_OFFSET),
                MetadataFuzzFixture.crc(null, b, 0, Superblock.CRC_OFFSET), "decoded with a wrong checksum");
        byte[] again = sb.encode();
        assertEquals(sb, Superblock.decode(ByteBuffer.wrap(again), "re-encoded"));
        assertTrue(Arrays.equals(b, 0, 8, again, 0, 8), "magic");
    }
}
