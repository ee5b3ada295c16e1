package org.remaptarget.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server as a separate JVM ({@code java -jar remap-target.jar serve --config ...}) killed with SIGKILL in the
 * middle of a qemu-io write workload over blocks that fail (fault rules added through the admin API and the
 * {@code remap-target fault add} command), twenty times. After every crash the server restarts on its metadata
 * (every fourth crash also {@code remap-target lun inspect} offline: no repair needed, every remap listed); every
 * write qemu-io reported done reads back, every remap seen before is still there, and the metadata generation never
 * goes back. The whole run takes about 1.5 minutes on 2 cores.
 *
 * <p>Each cycle writes a fresh 1 MiB region (so a write cut by the crash, which may or may not have landed, is
 * never compared), and kills the server after a cycle-dependent number of acknowledged writes: early, around and
 * after the writes that hit failing blocks. Deterministic apart from where exactly the SIGKILL lands.
 */
class CrashCyclesIT {
    private static final String IQN = "iqn.2026-11.org.remaptarget:crash";
    private static final int CYCLES = 20;
    private static final int WRITES_PER_CYCLE = 10;
    private static final int WRITE_BYTES = 32768;
    private static final long REGION = 1L << 20;
    private static final Pattern REMAP = Pattern.compile("\\{\"lba\":(\\d+),\"spare\":(\\d+)}");
    private static final Pattern GENERATION = Pattern.compile("\"journalGeneration\":(\\d+)");

    @TempDir
    Path dir;
    private ServerProcess server;
    private Process workload;

    @AfterEach
    void cleanUp() throws Exception {
        if (workload != null && workload.isAlive()) {
            workload.destroyForcibly();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void twentySigkillsDuringWritesToFailingBlocksLoseNoAcknowledgedWriteAndNoRemap() throws Exception {
        Tools.require("qemu-io", "stdbuf", "kill");
        int port = ServerProcess.freePort();
        Path lun = dir.resolve("lun0.img");
        Path config = ServerProcess.oneLunConfig(dir, port, IQN, "32MiB", "4MiB");
        // general logging at WARN: conf/log4j2.xml must still log the storage events at INFO
        server = new ServerProcess(config, dir, ServerProcess.freePort()).withLogLevel("warn");
        String url = "iscsi://127.0.0.1:" + port + "/" + IQN + "/0";
        Map<Long, Integer> acked = new LinkedHashMap<>();   // offset -> pattern of every acknowledged write
        Set<Long> remaps = new TreeSet<>();                 // every remap seen on a restarted server
        long generation = 0;
        int killedWithFaultedWriteDone = 0;

        for (int cycle = 0; cycle < CYCLES; cycle++) {
            server.start();
            String context = "cycle " + cycle;
            verify(url, acked, context);
            Set<Long> now = remaps();
            assertTrue(now.containsAll(remaps), context + ": remaps lost: had " + remaps + ", now " + now);
            remaps.addAll(now);
            long g = generation();
            assertTrue(g >= generation, context + ": metadata generation went back from " + generation + " to " + g);
            generation = g;

            // this cycle's region; two of its writes land on blocks that fail every write
            long base = cycle * REGION;
            long faultA = (base + 65536) / 512 + 7;
            int secondFaulted = 2 + cycle % 6;
            long faultB = (base + secondFaulted * 65536L) / 512 + 33;
            server.post("v1/luns/" + IQN + "/0/faults", Map.of("op", "write", "lba", Long.toString(faultA),
                    "outcome", "medium-error"));
            if (cycle % 2 == 0) {   // the operator's command (a JVM start each, so every other cycle)
                Tools.Result add = Tools.run(60, Cli.command("fault", "add", "--admin", server.adminAddress(),
                        "--token-file", server.tokenFile().toString(), "--op", "write", "--lba",
                        Long.toString(faultB), "--outcome", "medium-error"));
                assertTrue(add.ok(), context + ": remap-target fault add: " + add.output());
            } else {
                server.post("v1/luns/" + IQN + "/0/faults", Map.of("op", "write", "lba", Long.toString(faultB),
                        "outcome", "medium-error"));
            }

            List<String> commands = new ArrayList<>();
            Map<Long, Integer> issued = new LinkedHashMap<>();
            for (int i = 0; i < WRITES_PER_CYCLE; i++) {
                long off = base + i * 65536L;
                int pattern = 1 + (cycle * WRITES_PER_CYCLE + i) % 254;
                issued.put(off, pattern);
                commands.add("write -P " + pattern + " " + off + " " + WRITE_BYTES);
                commands.add("sleep " + (3 + i % 4));
            }
            int killAfter = 1 + cycle % 8;   // acknowledged writes before the SIGKILL
            Path out = dir.resolve("workload-" + cycle + ".out");
            List<String> cmd = new ArrayList<>(List.of("stdbuf", "-oL", "-eL"));
            cmd.addAll(List.of(Qemu.io(url, commands)));
            workload = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (Qemu.wroteOffsets(read(out)).size() < killAfter && workload.isAlive()
                    && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            server.kill();
            workload.destroyForcibly();
            assertTrue(workload.waitFor(20, TimeUnit.SECONDS), context + ": qemu-io did not end");
            List<Long> done = Qemu.wroteOffsets(read(out));
            assertTrue(done.size() >= Math.min(killAfter, 1), context + ": the workload ran:\n" + read(out));
            for (long off : done) {
                acked.put(off, issued.get(off));
            }
            if (done.contains(base + 65536)) {
                killedWithFaultedWriteDone++;
            }

            // after the crash, before the restart: the metadata opens cleanly from the file alone (checked offline
            // every fourth cycle; every restart checks it too, by serving)
            if (cycle % 4 != 3) {
                continue;
            }
            Tools.Result inspect = Tools.run(60, Cli.command("lun", "inspect", "--list", lun.toString()));
            assertEquals(0, inspect.exitCode(), context + ": lun inspect:\n" + inspect.output());
            assertFalse(inspect.output().contains("would repair"), context + ":\n" + inspect.output());
            for (long lba : remaps) {
                assertTrue(inspect.output().contains("LBA " + lba + " -> spare"), context + ": LBA " + lba
                        + " missing from the journal/checkpoint:\n" + inspect.output());
            }
        }

        server.start();
        verify(url, acked, "after the last crash");
        Set<Long> last = remaps();
        assertTrue(last.containsAll(remaps), "remaps lost: had " + remaps + ", now " + last);
        assertTrue(killedWithFaultedWriteDone > 0, "some crashes came after a remapping write was acknowledged");
        assertTrue(last.size() >= killedWithFaultedWriteDone, "every acknowledged write to a failing block "
                + "remapped it: " + last);
        // SIGTERM: the JVM runs the shutdown hook (final checkpoint) and exits 128+15, which the systemd unit
        // declares a success (SuccessExitStatus=143)
        assertEquals(143, server.stop(), "SIGTERM exit status");
        assertTrue(server.log().contains("RemapVolume - " + IQN + "/0: closed"), "the LUN was closed cleanly");
        String log = server.log();
        Matcher logged = Pattern.compile("WARN .* Reallocator - " + Pattern.quote(IQN + "/0")
                + ": LBA (\\d+) remapped to spare \\d+").matcher(log);
        Set<Long> loggedLbas = new TreeSet<>();
        while (logged.find()) {
            loggedLbas.add(Long.parseLong(logged.group(1)));
        }
        // a SIGKILL can land between a remap becoming durable and its log line, so: logged implies durable
        assertFalse(loggedLbas.isEmpty(), "remaps are logged at WARN with LUN, LBA and spare:\n" + log);
        assertTrue(last.containsAll(loggedLbas), "every logged remap is durable: logged " + loggedLbas + ", have "
                + last);
        assertTrue(log.split("MetadataStore - " + Pattern.quote(IQN + "/0") + ": recovered ", -1).length > CYCLES,
                "every restart logs its metadata recovery at INFO:\n" + log);
        assertFalse(log.contains("metadata repair"), log);
    }

    /** Every acknowledged write reads back with its pattern, in one qemu-io session. */
    private static void verify(String url, Map<Long, Integer> acked, String context) throws Exception {
        if (acked.isEmpty()) {
            return;
        }
        List<String> reads = new ArrayList<>();
        acked.forEach((off, p) -> reads.add("read -P " + p + " " + off + " " + WRITE_BYTES));
        Tools.Result r = Tools.run(120, Qemu.io(url, reads));
        assertFalse(r.output().contains("verification failed"), context + ": acknowledged data lost:\n"
                + r.output());
        assertEquals(acked.size(), Qemu.readOffsets(r.output()).size(), context + ":\n" + r.output());
    }

    private Set<Long> remaps() throws Exception {
        Set<Long> s = new TreeSet<>();
        Matcher m = REMAP.matcher(server.get("v1/luns/" + IQN + "/0/remaps"));
        while (m.find()) {
            s.add(Long.parseLong(m.group(1)));
        }
        return s;
    }

    private long generation() throws Exception {
        Matcher m = GENERATION.matcher(server.get("v1/luns/" + IQN + "/0/stats"));
        assertTrue(m.find(), "stats name the journal generation");
        return Long.parseLong(m.group(1));
    }

    private static String read(Path p) throws java.io.IOException {
        return Files.exists(p) ? Files.readString(p, StandardCharsets.ISO_8859_1) : "";
    }
}
