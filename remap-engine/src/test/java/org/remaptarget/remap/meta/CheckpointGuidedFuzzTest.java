package org.remaptarget.remap.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing (Jazzer) of checkpoint decoding: the header and first entry blocks of one checkpoint copy
 * of a valid volume are replaced by fuzzed blocks (each optionally sealed with its correct seeded CRC32C, so the
 * count and entry checks behind the checksums are reached; optionally with the other copy wiped so recovery must
 * use the fuzzed one). {@link CheckpointCodec#read} decodes or refuses with {@link MetadataException}, never
 * accepts a block whose checksum does not match, and returns as many entries as its header counts; recovering the
 * volume opens it or refuses with {@link MetadataException}. Regression inputs:
 * {@code CheckpointGuidedFuzzTestInputs/}.
 */
class CheckpointGuidedFuzzTest {
    private static final int BS = MetadataFuzzFixture.BS;

    @FuzzTest(maxDuration = "1m")
    void anyCheckpointCopyDecodesOrIsRefused(FuzzedDataProvider data) throws IOException {
        MetadataFuzzFixture.Image valid = MetadataFuzzFixture.VALID;
        byte[] image = valid.copy();
        int copy = data.consumeInt(0, 1);
        int start = (int) MetadataFuzzFixture.LAYOUT.checkpointStart(copy) * BS;
        int blocks = data.consumeInt(1, (int) MetadataFuzzFixture.LAYOUT.checkpointBlocks());
        if (data.consumeBoolean()) {
            int other = (int) MetadataFuzzFixture.LAYOUT.checkpointStart(1 - copy) * BS;
            Arrays.fill(image, other, other + BS, (byte) 0);
        }
        for (int i = 0; i < blocks; i++) {
            boolean seal = data.consumeBoolean();
            byte[] block = data.consumeBytes(BS);
            int at = start + i * BS;
            System.arraycopy(block, 0, image, at, block.length);
            if (seal) {
                MetadataFuzzFixture.seal(valid.seed(), image, at, at + BS);
            }
        }
        try {
            CheckpointCodec.Image cp = MetadataFuzzFixture.checkpoint(image, valid.seed(), copy);
            assertTrue(MetadataFuzzFixture.sealed(valid.seed(), image, start, start + BS),
                    "header accepted with a wrong checksum");
            assertTrue(cp.mappings() <= cp.lbas().length && cp.retired() <= cp.lbas().length
                    && cp.pending() <= cp.lbas().length, "counts beyond the entries read");
            assertEquals(cp.mappings() + cp.retired() + cp.pending(), cp.lbas().length);
            assertEquals(cp.lbas().length, cp.spares().length);
        } catch (MetadataException refused) {
            // refused with a reason: fine
        }
        MetadataFuzzFixture.recoversOrRefuses(image);
    }
}
