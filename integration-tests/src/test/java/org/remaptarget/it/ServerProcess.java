package org.remaptarget.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code remap-target serve --config FILE} as a separate JVM, the way systemd runs it: started, probed through its
 * admin API, killed with SIGKILL (crash), SIGTERM (stop) or sent SIGHUP (reload). Output (banner and log) goes to
 * one file per server, appended across restarts. Every wait is bounded.
 */
final class ServerProcess implements AutoCloseable {
    private final Path config;
    private final Path dataDir;
    private final Path log;
    private final int adminPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String logLevel = "info";
    /**
     * {@code env} option that resets SIGHUP to its default for a server, so the tests do not depend on how their
     * runner was started (a runner under nohup passes SIGHUP on ignored, and the JVM keeps it ignored).
     */
    static final String DEFAULT_SIGHUP = "--default-signal=HUP";
    private String sighup = DEFAULT_SIGHUP;
    private Process process;

    ServerProcess(Path config, Path dataDir, int adminPort) {
        this.config = config;
        this.dataDir = dataDir;
        this.log = dataDir.resolve("server.log");
        this.adminPort = adminPort;
    }

    /** REMAP_TARGET_LOG_LEVEL for the next start (conf/log4j2.xml keeps storage events at INFO regardless). */
    ServerProcess withLogLevel(String level) {
        this.logLevel = level;
        return this;
    }

    /** Starts the server with SIGHUP ignored, as {@code nohup} would. */
    ServerProcess withSighupIgnored() {
        sighup = "--ignore-signal=HUP";
        return this;
    }

    /**
     * Writes {@code dir/remap-target.yaml}: one portal on 127.0.0.1:{@code port}, target {@code iqn} with LUN 0 in
     * {@code dir/lun0.img} of {@code size} with {@code spare} of spare area (sizes as the config takes them).
     */
    static Path oneLunConfig(Path dir, int port, String iqn, String size, String spare) throws IOException {
        Path config = dir.resolve("remap-target.yaml");
        Files.writeString(config, String.join("\n",
                "portals:",
                "  - 127.0.0.1:" + port,
                "targets:",
                "  - iqn: " + iqn,
                "    luns:",
                "      - lun: 0",
                "        path: lun0.img",
                "        size: " + size,
                "        spare: " + spare,
                ""));
        return config;
    }

    /** A TCP port on 127.0.0.1 that was free a moment ago. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    /** Starts the server and waits (at most 60 s) until it serves and its admin API answers. */
    ServerProcess start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already running");
        }
        long logStart = Files.exists(log) ? Files.size(log) : 0;
        List<String> cmd = new ArrayList<>(List.of("env", sighup));
        cmd.addAll(List.of(Cli.command("serve", "--config", config.toString(), "--admin", "127.0.0.1:" + adminPort,
                "--token-file", tokenFile().toString(), "--data-dir", dataDir.toString())));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("REMAP_TARGET_LOG_LEVEL", logLevel);
        pb.environment().remove("REMAP_TARGET_EVENT_LOG_LEVEL");
        process = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("server exited with " + process.exitValue() + ":\n" + log());
            }
            if (logSince(logStart).contains("remap-target serving on") && Files.exists(tokenFile())) {
                try {
                    get("v1/status");
                    return this;
                } catch (IOException e) {
                    // admin API not up yet
                }
            }
            Thread.sleep(50);
        }
        process.destroyForcibly();
        throw new IllegalStateException("server did not come up within 60 s:\n" + log());
    }

    Path tokenFile() {
        return dataDir.resolve("admin.token");
    }

    String adminAddress() {
        return "127.0.0.1:" + adminPort;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: a crash, no shutdown hook runs. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            throw new IllegalStateException("server survived SIGKILL");
        }
    }

    /** SIGTERM and wait (bounded) for a clean exit; returns the exit code. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException("server did not stop on SIGTERM within 60 s");
        }
        return process.exitValue();
    }

    /** Sends SIGHUP through kill(1). */
    void hangup() throws IOException, InterruptedException {
        Tools.Result r = Tools.run(10, "kill", "-HUP", Long.toString(process.pid()));
        if (!r.ok()) {
            throw new IOException("kill -HUP failed: " + r.output());
        }
    }

    /** Everything the server printed so far (all runs). */
    String log() throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    private String logSince(long offset) throws IOException {
        String all = log();
        byte[] b = all.getBytes(StandardCharsets.UTF_8);
        return offset >= b.length ? "" : new String(b, (int) offset, b.length - (int) offset, StandardCharsets.UTF_8);
    }

    /** Waits (bounded) until the log contains {@code text} at least {@code times} times. */
    boolean awaitLog(String text, int times, long timeoutMillis) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        do {
            String l = log();
            int n = 0;
            for (int i = l.indexOf(text); i >= 0; i = l.indexOf(text, i + 1)) {
                n++;
            }
            if (n >= times) {
                return true;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        return false;
    }

    /** GET on the admin API with the token; the JSON body, or IOException for a non-200 answer. */
    String get(String path) throws IOException, InterruptedException {
        return send("GET", path, Map.of());
    }

    String post(String path, Map<String, String> query) throws IOException, InterruptedException {
        return send("POST", path, query);
    }

    private String send(String method, String path, Map<String, String> query)
            throws IOException, InterruptedException {
        String q = query.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(),
                StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + adminAddress() + "/" + path
                        + (q.isEmpty() ? "" : "?" + q)))
                .timeout(Duration.ofSeconds(15))
                .header("Authorization", "Bearer " + Files.readString(tokenFile()).trim())
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(method + " " + path + " -> " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(20, TimeUnit.SECONDS);
        }
    }
}
