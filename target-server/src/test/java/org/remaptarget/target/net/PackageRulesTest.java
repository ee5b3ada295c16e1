package org.remaptarget.target.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** The transport's layering (DESIGN.md): pdu and text are leaves; login sits on them; net is on top. */
class PackageRulesTest {
    private static final Path SRC = Path.of("src/main/java/org/remaptarget/target");

    private static final Map<String, List<String>> FORBIDDEN = Map.of(
            "pdu", List.of("text", "login", "session", "net", "scsi", "auth", "config", "lun", "backend"),
            "text", List.of("pdu", "login", "session", "net", "scsi", "auth", "config", "lun", "backend"),
            "login", List.of("session", "net", "scsi"),
            "session", List.of("net"));

    @Test
    void transportPackagesOnlyImportTheLayersBelowThem() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : FORBIDDEN.entrySet()) {
            try (Stream<Path> files = Files.walk(SRC.resolve(e.getKey()))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    for (String line : Files.readAllLines(f)) {
                        for (String bad : e.getValue()) {
                            if (line.startsWith("import org.remaptarget.target." + bad + ".")
                                    || line.startsWith("import static org.remaptarget.target." + bad + ".")) {
                                violations.add(f.getFileName() + ": " + line);
                            }
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), violations);
    }
}
