package org.remaptarget.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * conf/remap-target.service does what systemd will do with it: its ExecStart (with the install paths pointed at
 * this build and a temporary directory) serves, its ExecReload reloads the configuration, and SIGTERM ends with an
 * exit status the unit declares a success. Also checks the unit's required settings and, where systemd-analyze is
 * installed, that systemd accepts the file.
 */
class SystemdUnitIT {
    @TempDir
    Path dir;
    private Process process;

    @AfterEach
    void cleanUp() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(20, TimeUnit.SECONDS);
        }
    }

    private static Map<String, String> service(String unit) {
        Map<String, String> m = new LinkedHashMap<>();
        boolean inService = false;
        for (String line : unit.split("\n")) {
            String l = line.strip();
            if (l.startsWith("[")) {
                inService = l.equals("[Service]");
            } else if (inService && !l.isEmpty() && !l.startsWith("#") && l.contains("=")) {
                m.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1));
            }
        }
        return m;
    }

    @Test
    void theUnitsCommandsServeReloadOnHangupAndStopWithADeclaredSuccessStatus() throws Exception {
        Tools.require("kill", "iscsi-ls");
        String unit = Files.readString(Cli.root().resolve("conf/remap-target.service"));
        Map<String, String> s = service(unit);
        assertEquals("simple", s.get("Type"));
        assertEquals("/bin/kill -HUP $MAINPID", s.get("ExecReload"));
        assertEquals("on-failure", s.get("Restart"));
        assertEquals("yes", s.get("NoNewPrivileges"));
        assertEquals("strict", s.get("ProtectSystem"));
        assertTrue(s.get("ReadWritePaths").contains("/var/lib/remap-target"), "the state directory is writable");

        int port = ServerProcess.freePort();
        int adminPort = ServerProcess.freePort();
        Path etc = Files.createDirectories(dir.resolve("etc"));
        Path state = Files.createDirectories(dir.resolve("state"));
        Path config = etc.resolve("remap-target.yaml");
        String iqn = "iqn.2026-11.org.remaptarget:unit";
        String lun0 = "      - lun: 0\n        path: " + state.resolve("lun0.img") + "\n        size: 8MiB\n"
                + "        spare: 1MiB\n";
        Files.writeString(config, "portals:\n  - 127.0.0.1:" + port + "\ntargets:\n  - iqn: " + iqn
                + "\n    luns:\n" + lun0);
        String exec = s.get("ExecStart")
                .replace("/usr/bin/java", Path.of(System.getProperty("java.home"), "bin", "java").toString())
                .replace("/opt/remap-target/remap-target.jar", Cli.jar().toString())
                .replace("/etc/remap-target/log4j2.xml", Cli.root().resolve("conf/log4j2.xml").toString())
                .replace("/etc/remap-target/remap-target.yaml", config.toString())
                .replace("/var/lib/remap-target", state.toString())
                .replace("127.0.0.1:8326", "127.0.0.1:" + adminPort);
        assertTrue(exec.contains(" serve --config "), exec);
        Path log = dir.resolve("journal.log");
        List<String> cmd = new ArrayList<>(List.of("env", ServerProcess.DEFAULT_SIGHUP)); // as systemd starts it
        cmd.addAll(List.of(exec.split(" ")));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(state.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("REMAP_TARGET_LOG_LEVEL", s.getOrDefault("Environment", "=info").split("=")[1]);
        process = pb.start();
        assertTrue(waitFor(log, "remap-target serving on", 60), Files.readString(log));

        Files.writeString(config, Files.readString(config) + "  - iqn: " + iqn + "-2\n    luns:\n"
                + lun0.replace("lun0.img", "second.img"));
        List<String> reload = new ArrayList<>(List.of(s.get("ExecReload")
                .replace("$MAINPID", Long.toString(process.pid())).split(" ")));
        assertTrue(Tools.run(10, reload.toArray(String[]::new)).ok());
        assertTrue(waitFor(log, "configuration reloaded from", 30), Files.readString(log));
        Tools.Result ls = Tools.run(30, "iscsi-ls", "iscsi://127.0.0.1:" + port);
        assertTrue(ls.output().contains("Target:" + iqn + "-2"), ls.output());
        assertTrue(Files.exists(state.resolve("admin.token")), "the admin token lives in the state directory");

        process.destroy();
        assertTrue(process.waitFor(90, TimeUnit.SECONDS), "stops within TimeoutStopSec");
        assertEquals(s.get("SuccessExitStatus"), Integer.toString(process.exitValue()),
                "SIGTERM's exit status is declared a success");

        if (Tools.which("systemd-analyze") != null) {
            Path copy = dir.resolve("remap-target.service");
            Files.writeString(copy, unit);
            Tools.Result verify = Tools.run(60, "systemd-analyze", "verify", copy.toString());
            // syntax and semantics of the file itself; not this machine's missing user, java or install directory
            for (String line : verify.output().split("\n")) {
                assertFalse(line.matches(".*(Unknown (key|section)|Failed to parse|Invalid|Unknown lvalue"
                        + "|ignoring|Missing '=').*"), "systemd-analyze verify: " + verify.output());
            }
        }
    }

    private static boolean waitFor(Path log, String text, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }
}
