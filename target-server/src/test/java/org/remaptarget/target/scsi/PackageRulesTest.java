package org.remaptarget.target.scsi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The layering rules of DESIGN.md, checked on the sources of the SCSI core. */
class PackageRulesTest {
    private static final Path ROOT = Path.of("src/main/java/org/remaptarget/target");

    private static List<String> violations(String pkgDir, String... forbidden) throws IOException {
        List<String> bad = new ArrayList<>();
        Path dir = ROOT.resolve(pkgDir);
        if (!Files.isDirectory(dir)) {
            throw new AssertionError("sources not found at " + dir.toAbsolutePath());
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    for (String prefix : forbidden) {
                        if (line.startsWith("import " + prefix) || line.startsWith("import static " + prefix)) {
                            bad.add(f + ": " + line);
                        }
                    }
                }
            }
        }
        return bad;
    }

    @Test
    void theScsiCoreNeverImportsTheTransport() throws IOException {
        assertEquals(List.of(), violations("scsi", "org.remaptarget.target.pdu", "org.remaptarget.target.session",
                "org.remaptarget.target.net", "org.remaptarget.target.login"));
    }

    @Test
    void onlyTheBackendImportsTheRemapEngine() throws IOException {
        assertEquals(List.of(), violations("scsi", "org.remaptarget.remap"));
        assertEquals(List.of(), violations("lun", "org.remaptarget.remap"));
    }
}
