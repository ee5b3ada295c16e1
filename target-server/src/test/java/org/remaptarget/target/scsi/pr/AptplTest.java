package org.remaptarget.target.scsi.pr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.remaptarget.target.scsi.pr.PrHarness.assertConflict;
import static org.remaptarget.target.scsi.pr.PrHarness.assertGood;
import static org.remaptarget.target.scsi.pr.PrHarness.assertSense;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.remaptarget.target.lun.FailingImageStore;
import org.remaptarget.target.lun.FileImageStore;
import org.remaptarget.target.lun.ImageStore;
import org.remaptarget.target.lun.MemoryImageStore;
import org.remaptarget.target.scsi.SenseReason;

/** Activate persist through power loss: the state file, restarts, and store failures (SPC-4 §5.13.5). */
class AptplTest {
    private static final int APTPL = 0x01;
    private static final int EA = 3;

    @TempDir
    Path dir;

    private PrHarness onFile() {
        return new PrHarness(new FileImageStore(dir.resolve("lun0.pr")));
    }

    @Test
    void registrationsAndTheReservationMadeWithAptplSurviveARestartThroughTheFileStore() {
        PrHarness h = onFile();
        assertGood(h.prout(h.a, 6, 0, 0, 0xA1, APTPL));
        assertGood(h.prout(h.b, 6, 0, 0, 0xB1, APTPL));
        assertGood(h.reserve(h.a, 0xA1, EA));
        PrHarness after = onFile();
        assertEquals(List.of(0xA1L, 0xB1L), after.keys(after.c));
        assertArrayEquals(new long[] {0xA1, EA}, after.reservation(after.c));
        assertConflict(after.write(after.b));
        assertGood(after.write(after.a));
    }

    @Test
    void theGenerationStartsAtZeroAfterARestart() {
        PrHarness h = onFile();
        h.prout(h.a, 6, 0, 0, 0xA1, APTPL);
        h.prout(h.a, 0, 0, 0xA1, 0xA2, APTPL);
        PrHarness after = onFile();
        assertEquals(0, after.generation(after.a));
        assertEquals(List.of(0xA2L), after.keys(after.a));
    }

    @Test
    void withoutAptplARestartForgetsEverything() {
        PrHarness h = onFile();
        h.registerIgnore(h.a, 0xA1);
        h.reserve(h.a, 0xA1, EA);
        PrHarness after = onFile();
        assertEquals(List.of(), after.keys(after.a));
        assertNull(after.reservation(after.a));
        assertFalse(Files.exists(dir.resolve("lun0.pr")), "nothing is written while APTPL was never set");
    }

    @Test
    void registeringWithAptplZeroTurnsPersistenceOff() {
        PrHarness h = onFile();
        h.prout(h.a, 6, 0, 0, 0xA1, APTPL);
        h.prout(h.a, 0, 0, 0xA1, 0xA2, 0);
        PrHarness after = onFile();
        assertEquals(List.of(), after.keys(after.a));
    }

    @Test
    void reportCapabilitiesShowsPtplActiveOnceAptplIsSet() {
        PrHarness h = new PrHarness();
        h.prout(h.a, 6, 0, 0, 0xA1, APTPL);
        assertEquals(1, h.readIn(h.a, 2)[3] & 0x01);
    }

    @Test
    void theInMemoryStoreCarriesTheStateAcrossANewLogicalUnit() {
        PrHarness h = new PrHarness();
        h.prout(h.a, 6, 0, 0, 0xA1, APTPL);
        PrHarness after = h.restart();
        assertEquals(List.of(0xA1L), after.keys(after.a));
    }

    @Test
    void saveLeavesNoTemporaryFileBehind() throws IOException {
        PrHarness h = onFile();
        h.prout(h.a, 6, 0, 0, 0xA1, APTPL);
        try (var files = Files.list(dir)) {
            assertEquals(List.of(dir.resolve("lun0.pr")), files.toList());
        }
    }

    @Test
    void aCorruptStateFileStopsTheLogicalUnitFromStarting() throws IOException {
        PrHarness h = onFile();
        h.prout(h.a, 6, 0, 0, 0xA1, APTPL);
        Path f = dir.resolve("lun0.pr");
        byte[] b = Files.readAllBytes(f);
        b[30] ^= 0x40;
        Files.write(f, b);
        IllegalStateException e = assertThrows(IllegalStateException.class, this::onFile);
        assertTrue(e.getMessage().contains("CRC32C"), e.getMessage());
    }

    @Test
    void aStoreThatCannotSaveFailsTheCommandAndKeepsTheOldState() {
        ImageStore broken = new FailingImageStore();
        PrHarness h = new PrHarness(broken);
        assertSense(h.prout(h.a, 6, 0, 0, 0xA1, APTPL), SenseReason.INTERNAL_TARGET_FAILURE);
        assertEquals(List.of(), h.keys(h.a));
        assertEquals(0, h.generation(h.a));
    }

    @Test
    void everyChangeUnderAptplIsSavedBeforeItIsReported() {
        MemoryImageStore store = new MemoryImageStore();
        PrHarness h = new PrHarness(store);
        h.registerIgnore(h.a, 0xA1);
        assertEquals(0, store.saves());
        h.prout(h.b, 6, 0, 0, 0xB1, APTPL);
        h.reserve(h.b, 0xB1, EA);
        h.release(h.b, 0xB1, EA);
        assertEquals(3, store.saves());
    }
}
