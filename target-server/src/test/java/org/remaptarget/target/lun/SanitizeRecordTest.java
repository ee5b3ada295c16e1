package org.remaptarget.target.lun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SanitizeRecordTest {
    private static final SanitizeOperation OVERWRITE =
            new SanitizeOperation(SanitizeOperation.OVERWRITE, new byte[] {1, 2, 3}, 5, true);

    @Test
    void aRunningOverwriteRoundTripsWithItsPatternPassesAndInvert() {
        SanitizeRecord r = SanitizeRecord.decode(new SanitizeRecord(42, SanitizeState.Phase.IN_PROGRESS,
                OVERWRITE).encode());
        assertEquals(42, r.sequence());
        assertEquals(SanitizeState.Phase.IN_PROGRESS, r.phase());
        assertEquals(OVERWRITE, r.operation());
    }

    @Test
    void idleAndFailedRecordsCarryNoOperation() {
        for (SanitizeState.Phase p : new SanitizeState.Phase[] {SanitizeState.Phase.IDLE,
            SanitizeState.Phase.FAILED}) {
            SanitizeRecord r = SanitizeRecord.decode(new SanitizeRecord(1, p, null).encode());
            assertEquals(p, r.phase());
            assertEquals(null, r.operation());
        }
    }

    @Test
    void everyFlippedBitAndEveryTruncationIsRefusedByName() {
        byte[] good = new SanitizeRecord(7, SanitizeState.Phase.IN_PROGRESS, OVERWRITE).encode();
        for (int i = 0; i < good.length * 8; i++) {
            byte[] bad = good.clone();
            bad[i / 8] ^= (byte) (1 << (i % 8));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SanitizeRecord.decode(bad), "bit " + i);
            assertTrue(e.getMessage().contains("sanitize record"), e.getMessage());
        }
        for (int n = 0; n < good.length; n++) {
            byte[] cut = Arrays.copyOf(good, n);
            assertThrows(IllegalArgumentException.class, () -> SanitizeRecord.decode(cut), "length " + n);
        }
    }

    @Test
    void aRecordOfAnotherVersionIsRefusedEvenWithAValidChecksum() {
        byte[] img = new SanitizeRecord(1, SanitizeState.Phase.IDLE, null).encode();
        img[5] = 2;
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(img, 0, img.length - 4);
        java.nio.ByteBuffer.wrap(img).putInt(img.length - 4, (int) crc.getValue());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SanitizeRecord.decode(img));
        assertTrue(e.getMessage().contains("version 2"), e.getMessage());
    }
}
