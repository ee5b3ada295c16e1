package org.remaptarget.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #6's vanishing initiators with real clients: the server runs as a separate JVM ({@link ServerProcess}) and
 * is watched only from outside, through its {@code /metrics}; each round starts one {@code qemu-io} process per
 * session (QEMU's iscsi driver, one login each), every one doing verified writes and reads in its own region of
 * one LUN, and SIGKILLs half of them mid-I/O. Per round: the survivors finish their scripts with no error and no
 * pattern mismatch; the server drops the dead sessions while the survivors still run, and every session once they
 * have exited; a fresh initiator then reads every chunk of every region back, holding what its writer wrote last
 * (for a killed writer: its last acknowledged write, or the one write that was in flight when it died, whole); the
 * server's thread count and its heap after a full GC ({@code jcmd PID GC.run}) stay flat from round to round.
 *
 * <p>CI: 32 sessions, 4 rounds, under a minute. The long run: {@code -Dsoak.minutes=10 -Dsoak.sessions=64} (or
 * SOAK_MINUTES / SOAK_SESSIONS) repeats rounds until the time is up, with longer scripts ({@code -Dsoak.ops=N}
 * commands per session). Every wait is bounded and every child is killed in {@link #cleanUp()}.
 *
 * <p>What a killed writer's chunks must hold is decidable because qemu-io runs its commands one at a time and,
 * line-buffered through stdbuf (which execs qemu-io in place, so the SIGKILL hits qemu-io itself), prints each
 * result when it completes: the first n results are acknowledged, command n+1 may or may not have landed, and
 * nothing after it was sent. A write lands whole or not at all (the target gathers a command's data first).
 */
class VanishingInitiatorsIT {
    private static final String IQN = "iqn.2026-11.org.remaptarget:vanish";
    private static final int CHUNK = 64 * 1024;           // pooled zero-copy reads start at 64 KiB
    private static final int CHUNKS = 8;                  // per session region
    private static final long REGION = (long) CHUNK * CHUNKS;
    private static final int MAX_SESSIONS = 84;           // three pattern bytes per session, 1..252
    private static final Pattern RESULT = Pattern.compile("^(wrote|read) (\\d+)/(\\d+) bytes at offset (\\d+)$");
    private static final Pattern MISMATCH = Pattern.compile("^Pattern verification failed at offset (\\d+)");
    private static final Pattern FAILED = Pattern.compile("^(write|read) failed: (.*)$");
    private static final long MIB = 1L << 20;
    private static final int NOP_IN_INTERVAL_SECONDS = 2;

    @TempDir
    Path dir;
    private ServerProcess server;
    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : children) {
            if (p.isAlive()) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (server != null) {
            server.close();
        }
    }

    /** One qemu-io command and what the region holds once it is done. */
    private record Cmd(String text, boolean write, long offset, int chunk, int pattern) {
    }

    /** The result of one command in qemu-io's output, in command order. */
    private record Outcome(boolean write, long offset, boolean ok, String line) {
    }

    /** The expected content of one session's region: one pattern byte per chunk (0 = never written). */
    private static final class Region {
        final int slot;
        final int[] pattern = new int[CHUNKS];

        Region(int slot) {
            this.slot = slot;
        }

        long offset(int chunk) {
            return slot * REGION + (long) chunk * CHUNK;
        }

        /** This session's next pattern after {@code cur}: its own three bytes in turn, never {@code cur}. */
        int nextPattern(int cur) {
            int first = 1 + slot * 3;
            return cur >= first && cur < first + 3 ? first + (cur - first + 1) % 3 : first;
        }
    }

    /** One session of one round: its script, its process and its output. */
    private static final class Session {
        final Region region;
        final List<Cmd> script;
        final Path out;
        Process process;
        int doneAtKill = -1;

        Session(Region region, List<Cmd> script, Path out) {
            this.region = region;
            this.script = script;
            this.out = out;
        }
    }

    @Test
    void halfOfTheRealInitiatorsKilledMidIoLoseNoAcknowledgedWriteAndLeaveNoSessionThreadOrHeapBehind()
            throws Exception {
        Tools.require("qemu-io", "stdbuf", "kill");
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        assertTrue(Files.isExecutable(jcmd), "the JDK's jcmd asks the server JVM for a full GC: " + jcmd);
        double soakMinutes = Double.parseDouble(setting("soak.minutes", "SOAK_MINUTES", "0"));
        boolean soak = soakMinutes > 0;
        int sessions = Integer.parseInt(setting("soak.sessions", "SOAK_SESSIONS", soak ? "64" : "32"));
        int opsPerSession = Integer.parseInt(setting("soak.ops", "SOAK_OPS", soak ? "6000" : "2000"));
        assertTrue(sessions >= 2 && sessions <= MAX_SESSIONS, "soak.sessions: 2.." + MAX_SESSIONS);
        long soakEnd = System.nanoTime() + (long) (soakMinutes * 60e9);
        int maxRounds = soak ? 1000 : 4;

        int port = ServerProcess.freePort();
        Path config = dir.resolve("remap-target.yaml");
        long lunBytes = Math.max(32 * MIB, sessions * REGION + 8 * MIB);
        Files.writeString(config, String.join("\n",
                "portals:",
                "  - 127.0.0.1:" + port,
                "limits:",
                "  nop-in-interval: " + NOP_IN_INTERVAL_SECONDS,   // a frozen initiator is dropped in ~7 s
                "  nop-in-timeout: 5",
                "targets:",
                "  - iqn: " + IQN,
                "    luns:",
                "      - lun: 0",
                "        path: lun0.img",
                "        size: " + lunBytes,
                "        spare: 4MiB",
                ""));
        server = new ServerProcess(config, dir, ServerProcess.freePort()).withLogLevel("warn").start();
        String url = "iscsi://127.0.0.1:" + port + "/" + IQN + "/0";
        Region[] regions = new Region[sessions];
        for (int s = 0; s < sessions; s++) {
            regions[s] = new Region(s);
        }
        Map<String, Long> idle = measure(jcmd);
        System.out.printf("vanishing initiators: %d sessions, %d commands each, %s; server idle: %s%n", sessions,
                opsPerSession, soak ? soakMinutes + " min soak" : maxRounds + " rounds", describe(idle));

        List<Map<String, Long>> afterRound = new ArrayList<>();
        long started = System.nanoTime();
        long totalOps = 0;
        int round = 0;
        while (round < maxRounds && (round < 2 || !soak || System.nanoTime() < soakEnd)) {
            long roundStart = System.nanoTime();
            RoundResult r = round(round, url, regions, opsPerSession);
            totalOps += r.ops;
            int landed = verifyEveryRegion(url, regions, r.uncertain, "round " + round);
            Map<String, Long> m = measure(jcmd);
            afterRound.add(m);
            System.out.printf("vanishing initiators round %d: %d sessions (%d SIGKILLed, %d frozen, at %d-%d%% of "
                            + "their scripts; %d with a write in flight, %d of which landed), %d verified commands "
                            + "(%d by the vanished ones), killed sessions dropped in %d ms, frozen ones in %d ms, "
                            + "all gone %d ms after the last exit; %.1f s; server after GC: %s%n",
                    round, sessions, r.killed, r.frozen, r.minKillPercent, r.maxKillPercent, r.uncertain.size(),
                    landed, r.ops, r.killedOps,
                    r.reapMillis, r.frozenMillis, r.drainMillis, (System.nanoTime() - roundStart) / 1e9,
                    describe(m));
            round++;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("vanishing initiators: %d rounds, %d verified commands in %.1f s (%.0f/s); idle %s; "
                + "last %s%n", round, totalOps, seconds, totalOps / seconds, describe(idle),
                describe(afterRound.get(afterRound.size() - 1)));

        // Round 0 warms up what stays: the 64 SCSI worker threads, the pooled read buffers, loaded classes.
        // From then on nothing may grow with the number of sessions that came and went.
        Map<String, Long> warm = afterRound.get(0);
        for (int i = 1; i < afterRound.size(); i++) {
            Map<String, Long> m = afterRound.get(i);
            assertTrue(m.get("threads") <= warm.get("threads") + 3, "threads grew from " + warm.get("threads")
                    + " after round 0 to " + m.get("threads") + " after round " + i);
            // live heap after a full GC: a few hundred KiB of noise; 16 dead sessions a round leaking their
            // connection buffers (256 KiB each and more) would add MiBs per round
            assertTrue(m.get("heap") <= warm.get("heap") + 4 * MIB, "heap after GC grew from "
                    + warm.get("heap") / 1024 + " KiB after round 0 to " + m.get("heap") / 1024 + " KiB after round "
                    + i);
            assertTrue(m.get("direct") <= 64 * MIB + warm.get("direct"), "direct buffers grew from "
                    + warm.get("direct") / MIB + " MiB to " + m.get("direct") / MIB + " MiB");
        }
        assertTrue(warm.get("threads") <= idle.get("threads") + 64 + 8, "threads after round 0: "
                + warm.get("threads") + ", idle " + idle.get("threads") + " (+64 SCSI workers at most)");
        assertEquals(143, server.stop(), "SIGTERM exit status");
    }

    private record RoundResult(long ops, long killedOps, int killed, int frozen, int minKillPercent,
                               int maxKillPercent, long reapMillis, long frozenMillis, long drainMillis,
                               Map<Integer, int[]> uncertain) {
    }

    /** One round: start every session, kill the odd ones mid-script, let the even ones finish, check reaping. */
    private RoundResult round(int round, String url, Region[] regions, int opsPerSession) throws Exception {
        String ctx = "round " + round;
        List<Session> all = new ArrayList<>();
        for (Region region : regions) {
            Session s = new Session(region, script(region, opsPerSession, new Random(round * 1000L + region.slot)),
                    dir.resolve("r" + round + "-s" + region.slot + ".out"));
            List<String> cmd = new ArrayList<>(List.of("stdbuf", "-oL", "-eL"));
            cmd.addAll(List.of(Qemu.io(url, s.script.stream().map(Cmd::text).toList())));
            s.process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(s.out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            children.add(s.process);
            all.add(s);
        }
        // Even slots survive; slots 1, 5, 9, ... are SIGKILLed (the kernel closes their sockets: the target sees a
        // FIN or RST); slots 3, 7, 11, ... are frozen with SIGSTOP, a host that vanished without a word (no FIN,
        // no RST), which only the target's NOP-In keep-alive can detect; they are SIGKILLed once it did.
        List<Session> victims = new ArrayList<>();
        List<Session> killed = new ArrayList<>();
        List<Session> frozen = new ArrayList<>();
        List<Session> survivors = new ArrayList<>();
        for (Session s : all) {
            (s.region.slot % 2 == 0 ? survivors : s.region.slot % 4 == 1 ? killed : frozen).add(s);
        }
        victims.addAll(killed);
        victims.addAll(frozen);

        // Strike once every session is a quarter into its script, or, when the machine serves them unevenly,
        // once the fastest is halfway and every one has written its whole region: all are mid-I/O then and none
        // has finished.
        int killAt = opsPerSession / 4;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60 + opsPerSession / 20);
        while (true) {
            int slowest = Integer.MAX_VALUE;
            int fastest = 0;
            for (Session s : all) {
                String out = read(s.out);
                assertTrue(s.process.isAlive() || outcomes(out).size() == s.script.size(),
                        ctx + ": session " + s.region.slot + " ended early:\n" + tail(out));
                int n = results(out);
                slowest = Math.min(slowest, n);
                fastest = Math.max(fastest, n);
            }
            if (slowest >= killAt || (fastest >= 2 * killAt && slowest >= CHUNKS)) {
                break;
            }
            if (System.nanoTime() > deadline) {
                fail(ctx + ": sessions made no progress; slowest at " + slowest + " of " + killAt + " commands");
            }
            Thread.sleep(50);
        }
        for (Session v : victims) {
            String exe = v.process.info().command().orElse("?");
            assertTrue(exe.endsWith("/qemu-io"), ctx + ": the process to kill is qemu-io itself, not " + exe);
        }
        List<String> stop = new ArrayList<>(List.of("kill", "-STOP"));
        frozen.forEach(f -> stop.add(Long.toString(f.process.pid())));
        Tools.Result stopped = Tools.run(10, stop.toArray(String[]::new));
        assertTrue(stopped.ok(), ctx + ": kill -STOP: " + stopped.output());
        killed.forEach(k -> k.process.destroyForcibly());   // SIGKILL: no logout from libiscsi
        long struckAt = System.nanoTime();
        for (Session k : killed) {
            assertTrue(k.process.waitFor(20, TimeUnit.SECONDS), ctx + ": qemu-io survived SIGKILL");
        }

        // The target drops the killed sessions at once, the frozen ones after the keep-alive timeout, and the
        // survivors' sessions all the while keep running: sessions == live survivors (+ frozen, at first).
        long reapMillis = awaitSessions(survivors, frozen.size(), true, struckAt, ctx + ": SIGKILLed sessions");
        long frozenMillis = awaitSessions(survivors, 0, false, struckAt, ctx + ": frozen (SIGSTOP) sessions");
        // nothing but the keep-alive can have found them: they sent nothing after the SIGSTOP, not even a FIN
        assertTrue(frozenMillis >= NOP_IN_INTERVAL_SECONDS * 1000L, ctx + ": frozen sessions dropped after only "
                + frozenMillis + " ms, before a keep-alive NOP-In could have gone unanswered");
        for (Session f : frozen) {
            f.process.destroyForcibly();
            assertTrue(f.process.waitFor(20, TimeUnit.SECONDS), ctx + ": frozen qemu-io survived SIGKILL");
        }
        int minPct = 100;
        int maxPct = 0;
        for (Session v : victims) {
            v.doneAtKill = outcomes(read(v.out)).size();
            assertTrue(v.doneAtKill < v.script.size(), ctx + ": session " + v.region.slot + " finished before "
                    + "it was killed");
            int pct = v.doneAtKill * 100 / v.script.size();
            minPct = Math.min(minPct, pct);
            maxPct = Math.max(maxPct, pct);
        }

        long ops = 0;
        long survivorDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120 + opsPerSession / 10);
        for (Session s : survivors) {
            long left = survivorDeadline - System.nanoTime();
            assertTrue(s.process.waitFor(Math.max(1, left), TimeUnit.NANOSECONDS),
                    ctx + ": survivor " + s.region.slot + " did not finish");
            String out = read(s.out);
            List<Outcome> done = outcomes(out);
            assertEquals(0, s.process.exitValue(), ctx + ": survivor " + s.region.slot + ":\n" + tail(out));
            assertEquals(s.script.size(), done.size(), ctx + ": survivor " + s.region.slot + ":\n" + tail(out));
            check(s, done, ctx);
            applyScript(s, s.script.size());
            ops += done.size();
        }
        long lastExit = System.nanoTime();
        long drainMillis = awaitSessions(List.of(), 0, false, lastExit, ctx + ": sessions after every initiator "
                + "was gone");

        long killedOps = 0;
        Map<Integer, int[]> uncertain = new HashMap<>();  // slot -> {chunk, pattern of the in-flight write}
        for (Session v : victims) {
            String out = read(v.out);
            List<Outcome> done = outcomes(out);
            check(v, done, ctx);
            applyScript(v, done.size());
            Cmd inFlight = v.script.get(done.size());
            if (inFlight.write()) {
                uncertain.put(v.region.slot, new int[] {inFlight.chunk(), inFlight.pattern()});
            }
            killedOps += done.size();
        }
        return new RoundResult(ops + killedOps, killedOps, killed.size(), frozen.size(), minPct, maxPct,
                reapMillis, frozenMillis, drainMillis, uncertain);
    }

    /**
     * Waits (at most 20 s) until the target counts exactly the live survivors plus {@code extra} sessions; returns
     * the milliseconds since {@code since}, or -1 when {@code giveUp} and every survivor ended first (the check
     * that the count reaches 0 once all are gone then covers it).
     */
    private long awaitSessions(List<Session> survivors, int extra, boolean giveUp, long since, String what)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String seen = "";
        while (System.nanoTime() < deadline) {
            long alive = survivors.stream().filter(s -> s.process.isAlive()).count();
            long sessions = metric(server.get("metrics"), "remap_target_target_sessions{target=\"" + IQN + "\"}");
            long aliveAfter = survivors.stream().filter(s -> s.process.isAlive()).count();
            if (alive == aliveAfter && sessions == alive + extra) {
                return (System.nanoTime() - since) / 1_000_000;
            }
            if (giveUp && aliveAfter == 0) {
                return -1;
            }
            seen = sessions + " sessions for " + aliveAfter + " live survivors + " + extra;
            Thread.sleep(20);
        }
        throw new AssertionError(what + ": still " + seen + " after 20 s:\n" + server.get("v1/status"));
    }

    /** Every chunk written first, then a mix: a third rewrites a chunk, the rest read a chunk or 4 KiB of one. */
    private static List<Cmd> script(Region region, int ops, Random rnd) {
        int[] model = region.pattern.clone();
        List<Cmd> cmds = new ArrayList<>(ops);
        for (int i = 0; i < ops; i++) {
            int chunk = i < CHUNKS ? i : rnd.nextInt(CHUNKS);
            long off = region.offset(chunk);
            if (i < CHUNKS || rnd.nextInt(3) == 0) {
                int p = region.nextPattern(model[chunk]);
                model[chunk] = p;
                cmds.add(new Cmd("write -P " + p + " " + off + " " + CHUNK, true, off, chunk, p));
            } else if (rnd.nextBoolean()) {
                cmds.add(new Cmd("read -P " + model[chunk] + " " + off + " " + CHUNK, false, off, chunk,
                        model[chunk]));
            } else {
                long sub = off + 4096L * rnd.nextInt(CHUNK / 4096);
                cmds.add(new Cmd("read -P " + model[chunk] + " " + sub + " 4096", false, sub, chunk, model[chunk]));
            }
        }
        return cmds;
    }

    /** The first {@code n} commands of a session's script become the region's content. */
    private static void applyScript(Session s, int n) {
        for (int i = 0; i < n; i++) {
            Cmd c = s.script.get(i);
            if (c.write()) {
                s.region.pattern[c.chunk()] = c.pattern();
            }
        }
    }

    /** The results are the script's commands in order, each complete and verified. */
    private static void check(Session s, List<Outcome> done, String ctx) {
        for (int i = 0; i < done.size(); i++) {
            Outcome o = done.get(i);
            Cmd c = s.script.get(i);
            String where = ctx + ", session " + s.region.slot + ", command " + i + " (" + c.text() + "): ";
            assertTrue(o.ok(), where + o.line());
            assertEquals(c.write(), o.write(), where + o.line());
            assertEquals(c.offset(), o.offset(), where + o.line());
        }
    }

    /**
     * A fresh initiator (one more login) reads every chunk of every region: it must hold the pattern its writer
     * left; where a killed writer had a write in flight, that write's pattern or the previous one, whole.
     */
    private static int verifyEveryRegion(String url, Region[] regions, Map<Integer, int[]> uncertain, String ctx)
            throws Exception {
        int landed = 0;
        List<String> reads = new ArrayList<>();
        List<int[]> what = new ArrayList<>();            // {slot, chunk, pattern}
        for (Region r : regions) {
            for (int c = 0; c < CHUNKS; c++) {
                reads.add("read -P " + r.pattern[c] + " " + r.offset(c) + " " + CHUNK);
                what.add(new int[] {r.slot, c, r.pattern[c]});
                int[] u = uncertain.get(r.slot);
                if (u != null && u[0] == c) {
                    reads.add("read -P " + u[1] + " " + r.offset(c) + " " + CHUNK);
                    what.add(new int[] {r.slot, c, u[1]});
                }
            }
        }
        Tools.Result res = Tools.run(120, Qemu.io(url, reads));
        List<Outcome> done = outcomes(res.output());
        assertEquals(reads.size(), done.size(), ctx + ": verification reads:\n" + tail(res.output()));
        for (int i = 0; i < done.size(); i++) {
            int[] w = what.get(i);
            Region r = regions[w[0]];
            int[] u = uncertain.get(w[0]);
            boolean inDoubt = u != null && u[0] == w[1];
            if (!inDoubt) {
                assertTrue(done.get(i).ok(), ctx + ": session " + w[0] + " chunk " + w[1] + " lost its pattern "
                        + w[2] + " (" + done.get(i).line() + ")");
            } else if (w[2] == r.pattern[w[1]]) {
                boolean old = done.get(i).ok();
                boolean fresh = done.get(i + 1).ok();
                assertTrue(old ^ fresh, ctx + ": session " + w[0] + " chunk " + w[1] + " holds neither the last "
                        + "acknowledged pattern " + w[2] + " nor the in-flight " + u[1] + " whole");
                if (fresh) {
                    r.pattern[w[1]] = u[1];               // the write in flight at the SIGKILL landed
                    landed++;
                }
                i++;
            }
        }
        return landed;
    }

    /** Server gauges after a full GC in the server JVM: heap in use after it, direct buffers, threads. */
    private Map<String, Long> measure(Path jcmd) throws Exception {
        Tools.Result gc = Tools.run(60, jcmd.toString(), Long.toString(server.pid()), "GC.run");
        assertTrue(gc.ok(), "jcmd GC.run: " + gc.output());
        String m = server.get("metrics");
        return Map.of("heap", metric(m, "remap_target_jvm_heap_used_after_gc_bytes"),
                "direct", metric(m, "remap_target_jvm_direct_buffer_bytes"),
                "threads", metric(m, "remap_target_jvm_threads"),
                "sessions", metric(m, "remap_target_sessions"));
    }

    private static String describe(Map<String, Long> m) {
        return String.format("heap %.2f MiB, direct buffers %.1f MiB, %d threads, %d sessions",
                m.get("heap") / (double) MIB, m.get("direct") / (double) MIB, m.get("threads"), m.get("sessions"));
    }

    /** The value of one sample line of the Prometheus text ("NAME{labels} VALUE"). */
    private static long metric(String text, String name) {
        for (String line : text.split("\n")) {
            if (line.startsWith(name + " ")) {
                return Long.parseLong(line.substring(name.length() + 1).trim());
            }
        }
        throw new AssertionError("no " + name + " in /metrics:\n" + text);
    }

    /** How many commands qemu-io reported finished (cheaper than {@link #outcomes} for polling). */
    private static int results(String output) {
        int n = 0;
        for (int i = output.indexOf(" bytes at offset "); i >= 0; i = output.indexOf(" bytes at offset ", i + 1)) {
            n++;
        }
        return n;
    }

    /** qemu-io's output as one outcome per finished command, in order. */
    private static List<Outcome> outcomes(String output) {
        List<Outcome> out = new ArrayList<>();
        String mismatch = null;
        for (String line : output.split("\n")) {
            Matcher m = MISMATCH.matcher(line);
            if (m.find()) {
                mismatch = line;                          // qemu-io still prints the read line after it
                continue;
            }
            m = RESULT.matcher(line);
            if (m.find()) {
                boolean complete = m.group(2).equals(m.group(3));
                out.add(new Outcome(m.group(1).equals("wrote"), Long.parseLong(m.group(4)),
                        complete && mismatch == null, mismatch != null ? mismatch : line));
                mismatch = null;
                continue;
            }
            m = FAILED.matcher(line);
            if (m.find()) {
                out.add(new Outcome(m.group(1).equals("write"), -1, false, line));
            }
        }
        return out;
    }

    private static String setting(String property, String env, String fallback) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            v = System.getenv(env);
        }
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    private static String read(Path p) throws IOException {
        return Files.exists(p) ? Files.readString(p, StandardCharsets.ISO_8859_1) : "";
    }

    private static String tail(String s) {
        return s.length() <= 4000 ? s : "..." + s.substring(s.length() - 4000);
    }
}
