package org.remaptarget.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the real clients (libiscsi tools, qemu-img, qemu-io) with a time bound. A missing tool aborts the test
 * locally but fails it under {@code CI=true}: real-client tests never pass silently in CI.
 */
final class Tools {
    private Tools() {
    }

    /** The result of one process run. */
    record Result(int exitCode, String output, boolean timedOut) {
        boolean ok() {
            return exitCode == 0 && !timedOut;
        }
    }

    static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Makes sure every named executable is on PATH (see class note for what happens when one is not). */
    static void require(String... tools) {
        List<String> missing = new ArrayList<>();
        for (String t : tools) {
            if (which(t) == null) {
                missing.add(t);
            }
        }
        if (!missing.isEmpty()) {
            String msg = "missing tools " + missing
                    + " (scripts/test installs them: libiscsi-bin, qemu-utils, qemu-block-extra)";
            if (inCi()) {
                fail(msg);
            }
            Assumptions.abort(msg);
        }
    }

    static Path which(String tool) {
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "/usr/bin:/bin:/usr/sbin:/sbin" : path).split(File.pathSeparator)) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** Runs {@code cmd} with stdin from {@code stdin} (may be null), capturing stdout+stderr, killed after the limit. */
    static Result runWithInput(long timeoutSeconds, String stdin, String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Path out = Files.createTempFile("it-tool", ".out");
        pb.redirectOutput(out.toFile());
        if (stdin == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        Process p = pb.start();
        try {
            if (stdin != null) {
                try (var os = p.getOutputStream()) {
                    os.write(stdin.getBytes(StandardCharsets.UTF_8));
                } catch (IOException ignored) {
                    // the tool exited before reading everything; its output says why
                }
            }
            boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            if (!done) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            String text = Files.readString(out, StandardCharsets.ISO_8859_1);
            return new Result(done ? p.exitValue() : -1, text, !done);
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
            Files.deleteIfExists(out);
        }
    }

    static Result run(long timeoutSeconds, String... cmd) throws IOException, InterruptedException {
        return runWithInput(timeoutSeconds, null, cmd);
    }
}
