package org.remaptarget.remap.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.remaptarget.remap.fault.FaultOp;
import org.remaptarget.remap.fault.FaultOutcome;
import org.remaptarget.remap.fault.FaultRule;
import org.remaptarget.remap.meta.MetadataException;

class RemapVolumeTest {
    @TempDir
    Path dir;

    private static OpenOptions opts() {
        return OpenOptions.defaults(TestRemapTable::new);
    }

    private static ByteBuffer data(int bs, int blocks, int seed) {
        byte[] b = new byte[bs * blocks];
        new java.util.Random(seed).nextBytes(b);
        return ByteBuffer.wrap(b);
    }

    @Test
    void formatCreatesASparseFileOfDataSpareAndMetadataThatReopensWith4KiBBlocks() throws IOException {
        Path f = dir.resolve("lun0.img");
        try (RemapVolume v = RemapVolume.format(f, FormatOptions.of(4096, 1 << 18, 1024), opts())) {
            assertEquals(1 << 18, v.device().blockCount());
            assertEquals(4096, v.device().blockSize());
            v.device().write(12345, data(4096, 2, 1), true);
        }
        long size = Files.size(f);
        assertTrue(size >= (1L << 18) * 4096 + 1024 * 4096);
        try (RemapVolume v = RemapVolume.open(f, opts())) {
            ByteBuffer got = ByteBuffer.allocate(2 * 4096);
            v.device().read(12345, got);
            assertEquals(data(4096, 2, 1), got.flip());
        }
    }

    @Test
    void volumeWith512ByteBlocksReopensFromAFile() throws IOException {
        Path f = dir.resolve("lun1.img");
        RemapVolume.format(f, FormatOptions.of(512, 2000, 64), opts()).close();
        try (RemapVolume v = RemapVolume.open(f, opts())) {
            assertEquals(512, v.device().blockSize());
            assertEquals(2000, v.device().blockCount());
        }
    }

    @Test
    void remapOnAFileVolumeSurvivesRestart() throws IOException {
        Path f = dir.resolve("lun2.img");
        RemapVolume.format(f, FormatOptions.of(512, 1000, 64), opts()).close();
        try (RemapVolume v = RemapVolume.open(f, opts().withFaultInjection(true))) {
            v.faults().addRule(FaultRule.of(FaultOp.WRITE, v.backingLbaOfData(77), 1, new FaultOutcome.IoError()));
            v.device().write(76, data(512, 3, 2), false);
            assertEquals(List.of(new Remap(77, 0)), v.remaps());
        }
        try (RemapVolume v = RemapVolume.open(f, opts())) {
            assertEquals(List.of(new Remap(77, 0)), v.remaps());
            ByteBuffer got = ByteBuffer.allocate(3 * 512);
            v.device().read(76, got);
            assertEquals(data(512, 3, 2), got.flip());
        }
    }

    @Test
    void aDenselyRemappedRegionReadsBackThroughRestartWithTheProductionTable() throws IOException {
        Path f = dir.resolve("dense.img");
        OpenOptions production = OpenOptions.defaults(org.remaptarget.remap.table.IncrementalRemapTable::new);
        RemapVolume.format(f, FormatOptions.of(512, 3 * 4096, 2048), production).close();
        try (RemapVolume v = RemapVolume.open(f, production.withFaultInjection(true))) {
            v.device().write(4096, data(512, 4096, 5), false);
            // every other block of the second region fails: 2048 remaps make it dense (an array in the table)
            for (long lba = 4096; lba < 8192; lba += 2) {
                v.faults().addRule(FaultRule.of(FaultOp.WRITE, v.backingLbaOfData(lba), 1,
                        new FaultOutcome.IoError()));
            }
            v.device().write(4096, data(512, 4096, 6), false);
            assertEquals(2048, v.remaps().size());
            ByteBuffer got = ByteBuffer.allocate(4096 * 512);
            v.device().read(4096, got);
            assertEquals(data(512, 4096, 6), got.flip());
        }
        try (RemapVolume v = RemapVolume.open(f, production)) {
            assertEquals(2048, v.remaps().size());
            assertEquals(2048, v.metadata().state().table().size());
            assertEquals(1, ((org.remaptarget.remap.table.DenseRegionTable) v.metadata().state().table())
                    .denseRegions(), "the recovered region is held as an array");
            for (int i = 0; i < 4096; i += 7) { // single-block reads take the one-lookup path
                ByteBuffer one = ByteBuffer.allocate(512);
                v.device().read(4096 + i, one);
                assertEquals(data(512, 4096, 6).position(i * 512).limit((i + 1) * 512).slice(), one.flip(),
                        "LBA " + (4096 + i));
            }
            ByteBuffer got = ByteBuffer.allocate(4096 * 512);
            v.device().read(4096, got);
            assertEquals(data(512, 4096, 6), got.flip());
        }
    }

    @Test
    void stackIsEngineOverRegionsOverFaultInjectorOverSpareCacheOverTheBackingDevice() throws IOException {
        org.remaptarget.remap.device.MemoryBlockDevice mem = Volumes.formatted(FormatOptions.of(512, 100, 8));
        RemapVolume v = RemapVolume.open(mem, Volumes.opts());
        assertTrue(v.faults().inner() instanceof org.remaptarget.remap.device.CachingDevice,
                "the fault injector wraps the spare-area cache");
        org.remaptarget.remap.device.CachingDevice cache = (org.remaptarget.remap.device.CachingDevice)
                v.faults().inner();
        assertTrue(RemapVolume.open(Volumes.formatted(FormatOptions.of(512, 100, 8)), Volumes.opts()
                .withSpareCacheBytes(0)).faults().inner() instanceof org.remaptarget.remap.device.MemoryBlockDevice,
                "without cache memory the fault injector wraps the backing device directly");
        ByteBuffer direct = data(512, 1, 9);
        mem.write(v.backingLbaOfData(17), direct.duplicate(), false); // below the injector
        ByteBuffer got = ByteBuffer.allocate(512);
        v.device().read(17, got);
        assertEquals(direct, got.flip());
        v.faults().addRule(FaultRule.of(FaultOp.READ, v.backingLbaOfData(17), 1, new FaultOutcome.IoError()));
        got.clear();
        assertThrows(org.remaptarget.remap.device.MediumErrorException.class, () -> v.device().read(17, got));

        // a remapped block is read from the cache, and a fault injected on its spare still fires
        long spare = v.remapNow(40);
        ByteBuffer written = data(512, 1, 10);
        v.device().write(40, written.duplicate(), false);
        long hits = cache.hits();
        got.clear();
        v.device().read(40, got);
        assertEquals(written, got.flip());
        assertEquals(hits + 1, cache.hits(), "the spare came from the cache");
        v.faults().addRule(FaultRule.of(FaultOp.READ, v.deviceLbaOfSpare(spare), 1, new FaultOutcome.IoError()));
        got.clear();
        assertThrows(IOException.class, () -> v.device().read(40, got));
    }

    @Test
    void openingAForeignFileIsRefusedNamingTheFile() throws IOException {
        Path f = dir.resolve("random.bin");
        byte[] junk = new byte[1 << 16];
        new java.util.Random(3).nextBytes(junk);
        Files.write(f, junk);
        MetadataException e = assertThrows(MetadataException.class, () -> RemapVolume.open(f, opts()));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("not a remap-target volume"), e.getMessage());
    }

    @Test
    void openingAnUnformattedFileIsRefusedAsNotFormatted() throws IOException {
        Path f = dir.resolve("zero.bin");
        Files.write(f, new byte[1 << 16]);
        MetadataException e = assertThrows(MetadataException.class, () -> RemapVolume.open(f, opts()));
        assertTrue(e.getMessage().contains("not formatted"), e.getMessage());
    }

    @Test
    void openingWithTheWrongLunUuidIsRefused() throws IOException {
        Path f = dir.resolve("lun3.img");
        UUID lun = UUID.randomUUID();
        RemapVolume.format(f, FormatOptions.of(512, 100, 8).withLunUuid(lun), opts()).close();
        MetadataException e = assertThrows(MetadataException.class,
                () -> RemapVolume.open(f, opts().withExpectedLunUuid(UUID.randomUUID())));
        assertTrue(e.getMessage().contains(lun.toString()), e.getMessage());
        RemapVolume.open(f, opts().withExpectedLunUuid(lun)).close();
    }

    @Test
    void formattingOverAnExistingVolumeNeedsForce() throws IOException {
        Path f = dir.resolve("lun4.img");
        RemapVolume.formatFile(f, FormatOptions.of(512, 100, 8));
        MetadataException e = assertThrows(MetadataException.class,
                () -> RemapVolume.formatFile(f, FormatOptions.of(512, 100, 8)));
        assertTrue(e.getMessage().contains("refusing to format"), e.getMessage());
        RemapVolume.formatFile(f, FormatOptions.of(512, 100, 8).withForce(true));
    }

    @Test
    void truncatedBackingFileIsRefused() throws IOException {
        Path f = dir.resolve("lun5.img");
        RemapVolume.formatFile(f, FormatOptions.of(512, 1000, 8));
        try (var ch = java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(Files.size(f) / 2);
        }
        MetadataException e = assertThrows(MetadataException.class, () -> RemapVolume.open(f, opts()));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void spareAreaOnASeparateFileServesRemapsAcrossRestarts() throws IOException {
        Path f = dir.resolve("lun6.img");
        Path spare = dir.resolve("lun6.spare");
        RemapVolume.format(f, FormatOptions.of(512, 500, 32).withSpareFile(spare), opts()).close();
        try (RemapVolume v = RemapVolume.open(f, opts().withSpareFile(spare).withFaultInjection(true))) {
            v.faults().addRule(FaultRule.of(FaultOp.WRITE, v.backingLbaOfData(9), 1, new FaultOutcome.IoError()));
            v.device().write(9, data(512, 1, 4), false);
            assertEquals(List.of(new Remap(9, 0)), v.remaps());
            v.spareFaults().addRule(FaultRule.of(FaultOp.FLUSH, 0, 1, new FaultOutcome.IoError()));
            assertThrows(IOException.class, () -> v.device().flush()); // flush reaches the spare device too
            v.spareFaults().clearRules();
        }
        try (RemapVolume v = RemapVolume.open(f, opts().withSpareFile(spare))) {
            ByteBuffer got = ByteBuffer.allocate(512);
            v.device().read(9, got);
            assertEquals(data(512, 1, 4), got.flip());
        }
        MetadataException missing = assertThrows(MetadataException.class, () -> RemapVolume.open(f, opts()));
        assertTrue(missing.getMessage().contains("separate spare device"), missing.getMessage());
    }

    @Test
    void spareFileOfAnotherLunIsRefused() throws IOException {
        Path a = dir.resolve("a.img");
        Path b = dir.resolve("b.img");
        RemapVolume.formatFile(a, FormatOptions.of(512, 100, 8).withSpareFile(dir.resolve("a.spare")));
        RemapVolume.formatFile(b, FormatOptions.of(512, 100, 8).withSpareFile(dir.resolve("b.spare")));
        MetadataException e = assertThrows(MetadataException.class,
                () -> RemapVolume.open(a, opts().withSpareFile(dir.resolve("b.spare"))));
        assertTrue(e.getMessage().contains("belongs to LUN"), e.getMessage());
    }
}
