package org.remaptarget.target.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Checks the import rules of DESIGN.md on the sources: the transport, SCSI core and storage layers never leak into
 * each other, leaves stay leaves, and nothing imports the command line.
 */
class PackageRulesTest {
    private static final String BASE = "org.remaptarget.target.";
    private static final Pattern IMPORT = Pattern.compile("(?m)^import\\s+(?:static\\s+)?(org\\.remaptarget\\.[\\w.]+)");

    /** Source package (relative to org.remaptarget.target, e.g. "scsi.sbc") -> our imported packages. */
    private static Map<String, List<String>> imports(Path root, String basePackage) throws IOException {
        Map<String, List<String>> out = new TreeMap<>();
        Path dir = root.resolve(basePackage.replace('.', '/'));
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String pkg = dir.relativize(f.getParent()).toString().replace('/', '.');
                Matcher m = IMPORT.matcher(Files.readString(f));
                while (m.find()) {
                    out.computeIfAbsent(pkg + ":" + f.getFileName(), k -> new ArrayList<>()).add(m.group(1));
                }
            }
        }
        return out;
    }

    private static List<String> violations(Map<String, List<String>> imports, String fromPrefix,
                                           List<String> forbidden) {
        List<String> bad = new ArrayList<>();
        imports.forEach((file, imps) -> {
            String pkg = file.substring(0, file.indexOf(':'));
            if (pkg.equals(fromPrefix) || pkg.startsWith(fromPrefix + ".")) {
                for (String imp : imps) {
                    for (String f : forbidden) {
                        if (imp.startsWith(f)) {
                            bad.add(file + " imports " + imp);
                        }
                    }
                }
            }
        });
        return bad;
    }

    private static Map<String, List<String>> server() throws IOException {
        return imports(Path.of("src/main/java"), "org.remaptarget.target");
    }

    @Test
    void scsiCoreNeverSeesTheTransport() throws IOException {
        assertEquals(List.of(), violations(server(), "scsi",
                List.of(BASE + "pdu", BASE + "session", BASE + "net", BASE + "login", BASE + "text", BASE + "auth",
                        "org.remaptarget.remap")));
    }

    @Test
    void leavesImportNothingOfOurs() throws IOException {
        Map<String, List<String>> all = server();
        for (String leaf : List.of("pdu", "text", "config")) {
            List<String> bad = new ArrayList<>();
            all.forEach((file, imps) -> {
                if (file.startsWith(leaf + ":") || file.startsWith(leaf + ".")) {
                    imps.stream().filter(i -> !i.startsWith(BASE + leaf)).forEach(i -> bad.add(file + " imports " + i));
                }
            });
            assertEquals(List.of(), bad, leaf + " must be a leaf");
        }
    }

    @Test
    void onlyTheBackendAdapterAndCompositionRootsImportTheEngine() throws IOException {
        List<String> bad = new ArrayList<>();
        server().forEach((file, imps) -> {
            String pkg = file.substring(0, file.indexOf(':'));
            boolean allowed = pkg.equals("backend") || pkg.equals("api") || pkg.equals("cli") || pkg.equals("admin");
            imps.stream().filter(i -> i.startsWith("org.remaptarget.remap.") && !allowed)
                    .forEach(i -> bad.add(file + " imports " + i));
        });
        assertEquals(List.of(), bad);
    }

    @Test
    void transportNeverImportsStorage() throws IOException {
        for (String t : List.of("pdu", "text", "login", "session", "net")) {
            assertEquals(List.of(), violations(server(), t, List.of("org.remaptarget.remap", BASE + "backend",
                    BASE + "lun", BASE + "scsi.sbc", BASE + "scsi.spc")));
        }
    }

    @Test
    void nothingImportsTheCommandLine() throws IOException {
        List<String> bad = new ArrayList<>();
        server().forEach((file, imps) -> {
            if (!file.startsWith("cli")) {
                imps.stream().filter(i -> i.startsWith(BASE + "cli")).forEach(i -> bad.add(file + " imports " + i));
            }
        });
        assertEquals(List.of(), bad);
    }

    @Test
    void theEngineKnowsNothingOfTheServer() throws IOException {
        Map<String, List<String>> engine = imports(Path.of("../remap-engine/src/main/java"), "org.remaptarget.remap");
        assertTrue(!engine.isEmpty());
        List<String> bad = new ArrayList<>();
        engine.forEach((file, imps) -> imps.stream().filter(i -> i.startsWith("org.remaptarget.target"))
                .forEach(i -> bad.add(file + " imports " + i)));
        assertEquals(List.of(), bad);
    }
}
