package org.remaptarget.remap.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing (Jazzer) of journal decoding and replay: journal slots of a valid volume, from a fuzzed
 * slot on, are overwritten with fuzzed records, either raw 32-byte slots or structured ones (generation near the
 * checkpoint's, any op code, flags, LBA and spare) sealed with their correct seeded CRC32C so replay gets past the
 * checksum. Every slot decodes as OK only if its checksum and magic match; recovering the volume opens it or
 * refuses with {@link MetadataException}. Regression inputs: {@code JournalGuidedFuzzTestInputs/}.
 */
class JournalGuidedFuzzTest {
    private static final int BS = MetadataFuzzFixture.BS;
    private static final int SLOT = Layout.RECORD_BYTES;

    @FuzzTest(maxDuration = "1m")
    void anyJournalRecordsReplayOrAreRefused(FuzzedDataProvider data) {
        MetadataFuzzFixture.Image valid = MetadataFuzzFixture.VALID;
        byte[] image = valid.copy();
        Layout layout = MetadataFuzzFixture.LAYOUT;
        int journal = (int) layout.journalStart() * BS;
        int slots = (int) layout.journalBlocks() * layout.recordsPerBlock();
        int first = data.consumeInt(0, 2 * layout.recordsPerBlock());
        int records = data.consumeInt(1, 48);
        for (int i = first; i < Math.min(slots, first + records) && data.remainingBytes() > 0; i++) {
            int block = i / layout.recordsPerBlock();
            int at = journal + block * BS + (i % layout.recordsPerBlock()) * SLOT;
            if (data.consumeBoolean()) {
                byte[] raw = data.consumeBytes(SLOT);
                System.arraycopy(raw, 0, image, at, raw.length);
            } else {
                ByteBuffer.wrap(image, at, SLOT).putInt(0).putShort(JournalRecord.MAGIC)
                        .put((byte) data.consumeInt(0, 5)).put(data.consumeByte())
                        .putLong(valid.generation() + data.consumeInt(-2, 50))
                        .putLong(data.consumeBoolean() ? data.consumeLong() : data.consumeLong(-1, 120))
                        .putLong(data.consumeBoolean() ? data.consumeLong() : data.consumeLong(-1, 50));
                MetadataFuzzFixture.seal(valid.seed(), image, at, at + SLOT);
            }
        }
        JournalRecord.Slot[] kind = new JournalRecord.Slot[1];
        ByteBuffer all = ByteBuffer.wrap(image);
        for (int i = 0; i < slots; i++) {
            int at = journal + (i / layout.recordsPerBlock()) * BS + (i % layout.recordsPerBlock()) * SLOT;
            all.position(at);
            JournalRecord r = JournalRecord.decode(all, valid.seed(), kind);
            assertEquals(at + SLOT, all.position(), "a slot is 32 bytes");
            if (kind[0] == JournalRecord.Slot.OK) {
                assertTrue(MetadataFuzzFixture.sealed(valid.seed(), image, at, at + SLOT)
                        && all.getShort(at + 4) == JournalRecord.MAGIC, "record accepted with a wrong checksum");
                assertEquals(image[at + 6] & 0xff, r.op().code);
            }
        }
        MetadataFuzzFixture.recoversOrRefuses(image);
    }
}
