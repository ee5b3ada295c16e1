package org.remaptarget.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGHUP to a separate-JVM {@code remap-target serve --config FILE} while QEMU reads in a loop: the new file is
 * applied (a LUN and a target added, a LUN removed) without dropping the sessions of unchanged LUNs, and a broken
 * file is refused with its file, line and key logged while the running configuration stays.
 */
class ReloadIT {
    private static final String A = "iqn.2026-11.org.remaptarget:reload-a";
    private static final String B = "iqn.2026-11.org.remaptarget:reload-b";
    private static final int READS = 120;

    @TempDir
    Path dir;
    private ServerProcess server;
    private Process reader;

    @AfterEach
    void cleanUp() throws Exception {
        if (reader != null && reader.isAlive()) {
            reader.destroyForcibly();
        }
        if (server != null) {
            server.close();
        }
    }

    private static String lun(int n, String file) {
        return "      - lun: " + n + "\n        path: " + file + "\n        size: 16MiB\n        spare: 1MiB\n";
    }

    private static String config(int port, String... targets) {
        return "portals:\n  - 127.0.0.1:" + port + "\ntargets:\n" + String.join("", targets);
    }

    private static String target(String iqn, String... luns) {
        return "  - iqn: " + iqn + "\n    luns:\n" + String.join("", luns);
    }

    /** iscsi-ls -s: target name -> its LUN numbers. */
    private static Map<String, List<Integer>> discover(int port) throws Exception {
        Tools.Result r = Tools.run(30, "iscsi-ls", "-s", "iscsi://127.0.0.1:" + port);
        assertTrue(r.ok(), r.output());
        Map<String, List<Integer>> out = new TreeMap<>();
        String current = null;
        Matcher m = Pattern.compile("Target:(\\S+)|Lun:(\\d+)").matcher(r.output());
        while (m.find()) {
            if (m.group(1) != null) {
                current = m.group(1);
                out.put(current, new ArrayList<>());
            } else if (current != null) {
                out.get(current).add(Integer.parseInt(m.group(2)));
            }
        }
        return out;
    }

    @Test
    void aServerStartedWithSighupIgnoredSaysReloadOnSignalIsOffAndDoesNotOfferIt() throws Exception {
        Tools.require("env");
        int port = ServerProcess.freePort();
        Path config = dir.resolve("remap-target.yaml");
        Files.writeString(config, config(port, target(A, lun(0, "a0.img"))));
        server = new ServerProcess(config, dir, ServerProcess.freePort()).withSighupIgnored().start();
        assertTrue(server.log().contains("SIGHUP is ignored by this process"), server.log());
        assertFalse(server.log().contains("with: kill -HUP"), "no reload offered that would not happen:\n"
                + server.log());
    }

    @Test
    void sighupAppliesAddedAndRemovedLunsWithoutDroppingSessionsAndRefusesABrokenFile() throws Exception {
        Tools.require("qemu-io", "iscsi-ls", "stdbuf", "kill");
        int port = ServerProcess.freePort();
        Path config = dir.resolve("remap-target.yaml");
        Files.writeString(config, config(port, target(A, lun(0, "a0.img"), lun(1, "a1.img"))));
        server = new ServerProcess(config, dir, ServerProcess.freePort()).start();
        assertTrue(server.log().contains("Reload " + config + " with: kill -HUP " + server.pid()),
                "the banner tells how to reload:\n" + server.log());
        String url = "iscsi://127.0.0.1:" + port + "/" + A + "/0";
        Tools.Result w = Tools.run(60, Qemu.io(url, List.of("write -P 0x3c 0 65536")));
        assertEquals(List.of(0L), Qemu.wroteOffsets(w.output()), w.output());
        assertEquals(Map.of(A, List.of(0, 1)), discover(port));

        // a witness session that knows LUNs 0 and 1, and QEMU reading LUN 0 in a loop
        try (ScsiProbe witness = ScsiProbe.connect(new InetSocketAddress("127.0.0.1", port), A, 0)) {
            assertEquals(0, witness.testUnitReady(1).status());
            List<String> loop = new ArrayList<>();
            for (int i = 0; i < READS; i++) {
                loop.add("read -P 0x3c 0 65536");
                loop.add("sleep 40");
            }
            Path out = dir.resolve("reader.out");
            List<String> cmd = new ArrayList<>(List.of("stdbuf", "-oL", "-eL"));
            cmd.addAll(List.of(Qemu.io(url, loop)));
            reader = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (Qemu.readOffsets(read(out)).size() < 5 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(Qemu.readOffsets(read(out)).size() >= 5, "QEMU is reading:\n" + read(out));

            // reload 1: LUN 1 removed, LUN 2 and target B added
            Files.writeString(config, config(port, target(A, lun(0, "a0.img"), lun(2, "a2.img")),
                    target(B, lun(0, "b0.img"))));
            server.hangup();
            assertTrue(server.awaitLog("configuration reloaded from", 1, 30_000), server.log());
            assertEquals(Map.of(A, List.of(0, 2), B, List.of(0)), discover(port));
            assertEquals("06/3F/0E", witness.testUnitReady(0).senseCode(),
                    "the witness session survived and hears that the LUN inventory changed");
            assertEquals("05/25/00", witness.testUnitReady(1).senseCode(), "LUN 1 is gone");
            assertEquals(0, witness.testUnitReady(2).status(), "LUN 2 serves");
            assertTrue(reader.isAlive(), "QEMU is still reading");

            // reload 2: a broken file is refused, naming file, line and key; the running configuration stays
            String broken = config(port, target(A, lun(0, "a0.img").replace("size:", "sise:")));
            Files.writeString(config, broken);
            int line = List.of(broken.split("\n")).indexOf("        sise: 16MiB") + 1;
            server.hangup();
            assertTrue(server.awaitLog("configuration reload refused", 1, 30_000), server.log());
            assertTrue(server.log().contains(config + ":" + line + ": key 'targets[0].luns[0].sise'"),
                    "file, line and key are logged:\n" + server.log());
            assertEquals(Map.of(A, List.of(0, 2), B, List.of(0)), discover(port), "the previous config stays");
            assertEquals(0, witness.testUnitReady(0).status());

            assertTrue(reader.waitFor(90, TimeUnit.SECONDS), "QEMU finished its reads");
            String qemu = read(out);
            assertEquals(READS, Qemu.readOffsets(qemu).size(), "every read succeeded across both reloads:\n" + qemu);
            assertFalse(qemu.contains("failed"), qemu);
            assertEquals(0, reader.exitValue(), qemu);
        }

        // the removed LUN was closed cleanly: its metadata needs no recovery work
        Tools.Result inspect = Tools.run(60, Cli.command("lun", "inspect", dir.resolve("a1.img").toString()));
        assertEquals(0, inspect.exitCode(), inspect.output());
        assertTrue(inspect.output().contains("+ 0 journal record(s)"), inspect.output());
        assertFalse(inspect.output().contains("would repair"), inspect.output());
        Tools.Result b = Tools.run(60, Qemu.io("iscsi://127.0.0.1:" + port + "/" + B + "/0",
                List.of("write -P 0x42 4096 4096", "read -P 0x42 4096 4096")));
        assertEquals(1, Qemu.readOffsets(b.output()).size(), "the added target serves I/O:\n" + b.output());
        assertFalse(b.output().contains("verification failed"), b.output());
    }

    private static String read(Path p) throws java.io.IOException {
        return Files.exists(p) ? Files.readString(p, StandardCharsets.ISO_8859_1) : "";
    }
}
