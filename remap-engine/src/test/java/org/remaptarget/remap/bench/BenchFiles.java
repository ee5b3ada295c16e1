package org.remaptarget.remap.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.remaptarget.remap.device.FileBlockDevice;
import org.remaptarget.remap.engine.RemapVolume;

/** Tear-down shared by the file-backed engine benchmarks. */
final class BenchFiles {
    private BenchFiles() {
    }

    /** Closes the raw device (if any) and the volume, then deletes the benchmark's directory and its files. */
    static void closeAndDelete(FileBlockDevice raw, RemapVolume volume, Path dir) throws IOException {
        if (raw != null) {
            raw.close();
        }
        volume.close();
        try (var s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }
}
