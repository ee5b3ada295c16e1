package org.remaptarget.remap.meta;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

/** Checkpoint headers that verify but describe impossible contents are refused as corrupt. */
class CheckpointCodecTest {
    private static final int BS = MetadataFuzzFixture.BS;

    /** Copy {@code copy} of the valid volume with its header counts replaced and the header re-sealed. */
    private static byte[] withCounts(int copy, long mappings, long retired, long pending, long entryBlocks) {
        MetadataFuzzFixture.Image valid = MetadataFuzzFixture.VALID;
        byte[] image = valid.copy();
        int at = (int) MetadataFuzzFixture.LAYOUT.checkpointStart(copy) * BS;
        ByteBuffer.wrap(image, at, BS).slice().putLong(24, mappings).putLong(32, retired).putLong(40, pending)
                .putLong(48, entryBlocks);
        MetadataFuzzFixture.seal(valid.seed(), image, at, at + BS);
        return image;
    }

    @Test
    void validCheckpointCopiesDecode() throws Exception {
        MetadataFuzzFixture.Image valid = MetadataFuzzFixture.VALID;
        for (int copy = 0; copy < 2; copy++) {
            try {
                MetadataFuzzFixture.checkpoint(valid.bytes(), valid.seed(), copy);
            } catch (MetadataException stale) {
                // one copy may be blank or older; the fixture found the newest
            }
        }
        assertTrue(MetadataFuzzFixture.recoversOrRefuses(valid.copy()));
    }

    @Test
    void checkpointHeaderWhoseCountsOverflowWhenAddedIsRefusedAsCorrupt() {
        // Long.MAX_VALUE + Long.MAX_VALUE + 1 wraps to -1: (-1 + per - 1) / per = 0 entry blocks "matched", and the
        // entry arrays were then allocated with a negative size (NegativeArraySizeException out of recovery)
        for (int copy = 0; copy < 2; copy++) {
            byte[] image = withCounts(copy, Long.MAX_VALUE, Long.MAX_VALUE, 1, 0);
            int c = copy;
            assertThrows(MetadataException.class, () -> MetadataFuzzFixture.checkpoint(image,
                    MetadataFuzzFixture.VALID.seed(), c));
        }
    }
}
