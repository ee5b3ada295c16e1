package org.remaptarget.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The built {@code remap-target} executable (target-server/target/remap-target.jar) as a user runs it. */
final class Cli {
    private Cli() {
    }

    /** The project root: REMAP_TARGET_ROOT (set by integration-tests/pom.xml), else the parent directory. */
    static Path root() {
        String env = System.getenv("REMAP_TARGET_ROOT");
        Path p = env != null ? Path.of(env) : Path.of("").toAbsolutePath().getParent();
        return p.toAbsolutePath().normalize();
    }

    /** The executable jar, which the reactor builds before integration-tests. */
    static Path jar() {
        Path jar = root().resolve("target-server/target/remap-target.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build with 'mvn -B verify' from the project root");
        }
        return jar;
    }

    /** {@code java -Dlog4j2.configurationFile=conf/log4j2.xml -jar remap-target.jar ARGS...}. */
    static String[] command(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Dlog4j2.configurationFile=" + root().resolve("conf/log4j2.xml"));
        cmd.add("-jar");
        cmd.add(jar().toString());
        cmd.addAll(List.of(args));
        return cmd.toArray(String[]::new);
    }
}
