package org.remaptarget.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executable end to end: {@code remap-target serve --admin-tls} prints its certificate's fingerprint, and the
 * operator commands of a second {@code remap-target} process reach it over HTTPS pinned by that fingerprint or by
 * the certificate file in the data directory; a wrong pin is refused (exit 4), plain HTTP is told to use https.
 */
class AdminTlsIT {
    private static final Pattern FINGERPRINT = Pattern.compile(
            "Admin API TLS certificate SHA-256 fingerprint: ((?:[0-9A-F]{2}:){31}[0-9A-F]{2})");

    @TempDir
    Path dir;

    @Test
    void operatorCommandsReachATlsAdminApiOnlyThroughThePinnedCertificate() throws Exception {
        int adminPort = ServerProcess.freePort();
        String admin = "127.0.0.1:" + adminPort;
        Path out = dir.resolve("serve.out");
        Process serve = new ProcessBuilder(Cli.command("serve", "--listen", "127.0.0.1:" + ServerProcess.freePort(),
                "--data-dir", dir.toString(), "--admin", admin, "--admin-tls"))
                .redirectErrorStream(true).redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        try {
            String fingerprint = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (fingerprint == null && serve.isAlive() && System.nanoTime() < deadline) {
                String printed = Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
                Matcher m = FINGERPRINT.matcher(printed);
                fingerprint = m.find() && printed.contains("Admin API and metrics: https://") ? m.group(1) : null;
                Thread.sleep(50);
            }
            String printed = Files.readString(out, StandardCharsets.UTF_8);
            assertTrue(fingerprint != null, "serve printed no fingerprint:\n" + printed);
            assertTrue(printed.contains("remap-target status --admin https://" + admin + " --admin-fingerprint "
                    + fingerprint), printed);
            assertTrue(Files.isRegularFile(dir.resolve("admin-tls.crt")), "the public certificate is written");
            String token = dir.resolve("admin.token").toString();

            Tools.Result pinned = Tools.run(60, Cli.command("status", "--admin", "https://" + admin,
                    "--admin-fingerprint", fingerprint, "--token-file", token));
            assertEquals(0, pinned.exitCode(), pinned.output());
            assertTrue(pinned.output().contains("iqn.2026-11.org.remaptarget:demo"), pinned.output());

            Tools.Result byFile = Tools.run(60, Cli.command("remap", "list", "--admin", "https://" + admin,
                    "--data-dir", dir.toString()));
            assertEquals(0, byFile.exitCode(), byFile.output());
            assertTrue(byFile.output().contains("0 remapped block(s)"), byFile.output());

            String wrong = (fingerprint.startsWith("00") ? "11" : "00") + fingerprint.substring(2);
            Tools.Result refused = Tools.run(60, Cli.command("status", "--admin", "https://" + admin,
                    "--admin-fingerprint", wrong, "--token-file", token));
            assertEquals(4, refused.exitCode(), refused.output());
            assertTrue(refused.output().contains("not the pinned " + wrong), refused.output());
            assertFalse(refused.output().contains("Exception"), refused.output());

            Tools.Result plain = Tools.run(60, Cli.command("status", "--admin", admin, "--token-file", token));
            assertEquals(2, plain.exitCode(), plain.output());
            assertTrue(plain.output().contains("use --admin https://" + admin), plain.output());
        } finally {
            serve.destroy();
            if (!serve.waitFor(60, TimeUnit.SECONDS)) {
                serve.destroyForcibly();
                serve.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
