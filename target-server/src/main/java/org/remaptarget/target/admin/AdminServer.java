package org.remaptarget.target.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.remaptarget.remap.engine.Remap;
import org.remaptarget.remap.engine.RemapVolume;
import org.remaptarget.remap.fault.FaultInjectingDevice;
import org.remaptarget.remap.fault.FaultRuleStatus;
import org.remaptarget.remap.scrub.ScrubProgress;
import org.remaptarget.remap.stats.StatsSnapshot;
import org.remaptarget.target.api.LunHandle;
import org.remaptarget.target.api.RemapTarget;

/**
 * The local admin API: HTTP on a loopback address (127.0.0.1 by default) with a bearer token, used by the
 * {@code remap-target} subcommands, plus an unauthenticated Prometheus {@code /metrics} endpoint.
 *
 * <p>Routes (JSON answers; parameters in the query string; errors as {@code {"error": "..."}} with 400/401/404):
 * {@code GET /v1/status}, {@code GET /v1/luns/IQN/LUN/remaps}, {@code POST /v1/luns/IQN/LUN/remaps?lba=N},
 * {@code POST /v1/luns/IQN/LUN/pending/clear?lba=N}, {@code GET|POST|DELETE /v1/luns/IQN/LUN/faults},
 * {@code GET /v1/luns/IQN/LUN/scrub}, {@code POST /v1/luns/IQN/LUN/scrub/start?rate=N},
 * {@code POST /v1/luns/IQN/LUN/scrub/stop}. Owns its HTTP server and a two-thread executor; never blocks I/O.
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(AdminServer.class);

    private final RemapTarget target;
    private final byte[] token;
    private final HttpServer http;
    private final String scheme;
    private final ExecutorService executor;

    /** Starts serving plain HTTP on {@code listen} (port 0 = ephemeral); meant for loopback addresses. */
    public AdminServer(RemapTarget target, InetSocketAddress listen, String token) throws IOException {
        this(target, listen, token, null);
    }

    /** Starts serving on {@code listen}: HTTPS with {@code tls} when given, else plain HTTP. */
    public AdminServer(RemapTarget target, InetSocketAddress listen, String token, AdminTls tls) throws IOException {
        this.target = target;
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.scheme = tls == null ? "http" : "https";
        if (tls == null) {
            this.http = HttpServer.create(listen, 16);
        } else {
            com.sun.net.httpserver.HttpsServer https = com.sun.net.httpserver.HttpsServer.create(listen, 16);
            https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls.context()));
            this.http = https;
        }
        this.executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "admin-http");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(executor);
        http.createContext("/metrics", ex -> respond(ex, 200, "text/plain; version=0.0.4",
                new Metrics(target).render()));
        http.createContext("/v1/", this::handle);
        http.start();
        LOG.info("admin API listening on {}://{}:{}", scheme, host(address()), address().getPort());
    }

    /** "http" or "https". */
    public String scheme() {
        return scheme;
    }

    public InetSocketAddress address() {
        return http.getAddress();
    }

    private static String host(InetSocketAddress a) {
        return a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            if (!authorized(ex)) {
                json(ex, 401, Map.of("error", "missing or wrong admin token (see the token file)"));
                return;
            }
            String[] path = ex.getRequestURI().getPath().substring(1).split("/");
            Map<String, String> q = query(ex.getRequestURI().getRawQuery());
            String method = ex.getRequestMethod();
            if (path.length == 2 && path[1].equals("status") && method.equals("GET")) {
                json(ex, 200, status());
                return;
            }
            if (path.length >= 5 && path[1].equals("luns")) {
                LunHandle lun;
                try {
                    lun = target.lun(path[2], Long.parseLong(path[3]));
                } catch (IllegalArgumentException e) {
                    json(ex, 404, Map.of("error", "no LUN " + path[3] + " in target " + path[2]));
                    return;
                }
                String what = String.join("/", java.util.Arrays.copyOfRange(path, 4, path.length));
                Object body = lunRoute(lun, method, what, q);
                if (body == null) {
                    json(ex, 404, Map.of("error", method + " " + ex.getRequestURI().getPath() + " is not a route"));
                } else {
                    json(ex, 200, body);
                }
                return;
            }
            json(ex, 404, Map.of("error", method + " " + ex.getRequestURI().getPath() + " is not a route"));
        } catch (IllegalArgumentException | IllegalStateException e) {
            json(ex, 400, Map.of("error", String.valueOf(e.getMessage())));
        } catch (IOException e) {
            json(ex, 500, Map.of("error", "I/O error: " + e.getMessage()));
        } catch (RuntimeException e) {
            LOG.warn("admin request {} failed", ex.getRequestURI(), e);
            json(ex, 500, Map.of("error", "internal error: " + e));
        } finally {
            ex.close();
        }
    }

    private Object lunRoute(LunHandle lun, String method, String what, Map<String, String> q) throws IOException {
        RemapVolume v = lun.volume().orElse(null);
        if (v == null && !what.equals("stats")) {
            throw new IllegalStateException("LUN " + lun.lun() + " is a passthrough LUN: it has no remap engine");
        }
        switch (method + " " + what) {
            case "GET remaps": {
                List<Map<String, Object>> out = new ArrayList<>();
                for (Remap r : v.remaps()) {
                    out.add(ordered("lba", r.lba(), "spare", r.spare()));
                }
                return ordered("remaps", out, "pending", v.pending());
            }
            case "POST remaps": {
                long lba = lba(q, v);
                long spare = v.remapNow(lba);
                return ordered("lba", lba, "spare", spare);
            }
            case "POST pending/clear": {
                long lba = lba(q, v);
                return ordered("lba", lba, "cleared", v.clearPending(lba));
            }
            case "GET faults":
                return faults(lun, v.backingLbaOfData(0));
            case "POST faults": {
                FaultInjectingDevice f = lun.faults().orElseThrow(
                        () -> new IllegalStateException("fault injection is not enabled on this LUN"));
                // operators name LUN LBAs; the injector sits below the engine, in backing-device blocks
                org.remaptarget.remap.fault.FaultRule r = FaultSpecs.parse(q);
                long shift = v.backingLbaOfData(0);
                long id = f.addRule(new org.remaptarget.remap.fault.FaultRule(r.ops(), r.firstLba() + shift,
                        r.blocks(), r.trigger(), r.outcome(), r.maxFirings()));
                return ordered("id", id);
            }
            case "DELETE faults": {
                FaultInjectingDevice f = lun.faults().orElseThrow(
                        () -> new IllegalStateException("fault injection is not enabled on this LUN"));
                if (q.containsKey("id")) {
                    return ordered("removed", f.removeRule(Long.parseLong(q.get("id"))));
                }
                f.clearRules();
                return ordered("removed", "all");
            }
            case "GET scrub":
                return scrub(lun.scrubProgress());
            case "POST scrub/start": {
                long rate = q.containsKey("rate") ? Long.parseLong(q.get("rate")) : 20_000;
                return scrub(lun.startScrub(rate));
            }
            case "POST scrub/stop":
                return scrub(lun.stopScrub());
            case "GET stats":
                return lunStatus(lun);
            default:
                return null;
        }
    }

    private static long lba(Map<String, String> q, RemapVolume v) {
        String s = q.get("lba");
        if (s == null) {
            throw new IllegalArgumentException("lba: missing");
        }
        long lba;
        try {
            lba = Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("lba: '" + s + "' is not a number");
        }
        if (lba < 0 || lba >= v.device().blockCount()) {
            throw new IllegalArgumentException("lba: " + lba + " is outside 0.." + (v.device().blockCount() - 1));
        }
        return lba;
    }

    private Map<String, Object> status() {
        List<Object> targets = new ArrayList<>();
        for (String iqn : target.targetNames()) {
            List<Object> luns = new ArrayList<>();
            for (LunHandle h : target.luns(iqn)) {
                luns.add(lunStatus(h));
            }
            targets.add(ordered("iqn", iqn, "luns", luns));
        }
        List<String> portals = target.addresses().stream().map(a -> host(a) + ":" + a.getPort()).toList();
        return ordered("portals", portals, "sessions", target.sessionCount(), "targets", targets);
    }

    static Map<String, Object> lunStatus(LunHandle h) {
        Map<String, Object> m = ordered("lun", h.lun(), "path", h.config().path() == null ? "memory" : h.config().path().toString(),
                "blockSize", h.logicalUnit().blockSize(), "blocks", h.logicalUnit().blockCount(),
                "mode", h.volume().isPresent() ? "remap" : "passthrough");
        h.volume().ifPresent(v -> {
            StatsSnapshot s = v.stats();
            m.put("health", s.health().name());
            m.put("remapped", s.remapped());
            m.put("pending", s.pending());
            m.put("sparesUsed", s.sparesUsed());
            m.put("sparesRetired", s.sparesRetired());
            m.put("sparesTotal", s.sparesTotal());
            m.put("spareUsePercent", s.spareUsePercent());
            m.put("readErrors", s.readErrors());
            m.put("writeErrors", s.writeErrors());
            m.put("retries", s.retries());
            m.put("reallocationFailures", s.reallocationFailures());
            m.put("journalGeneration", s.journalGeneration());
            m.put("checkpointGeneration", s.checkpointGeneration());
        });
        return m;
    }

    private static Map<String, Object> faults(LunHandle lun, long shift) {
        List<Object> rules = new ArrayList<>();
        lun.faults().ifPresent(f -> {
            for (FaultRuleStatus s : f.rules()) {
                org.remaptarget.remap.fault.FaultRule r = s.rule();
                org.remaptarget.remap.fault.FaultRule asLun = new org.remaptarget.remap.fault.FaultRule(r.ops(),
                        Math.max(0, r.firstLba() - shift), r.blocks(), r.trigger(), r.outcome(), r.maxFirings());
                rules.add(ordered("id", s.id(), "rule", FaultSpecs.format(asLun), "matchingCalls",
                        s.matchingCalls(), "firings", s.firings()));
            }
        });
        return ordered("rules", rules);
    }

    private static Map<String, Object> scrub(ScrubProgress p) {
        return ordered("state", p.state().name(), "blocksDone", p.blocksDone(), "blocksTotal", p.blocksTotal(),
                "errorsFound", p.errorsFound(), "percent", p.percent());
    }

    static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private boolean authorized(HttpExchange ex) {
        String h = ex.getRequestHeaders().getFirst("Authorization");
        if (h == null || !h.startsWith("Bearer ")) {
            return false;
        }
        return MessageDigest.isEqual(token, h.substring(7).trim().getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> m = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return m;
        }
        for (String kv : raw.split("&")) {
            int eq = kv.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
            m.put(k, v);
        }
        return m;
    }

    private static void json(HttpExchange ex, int code, Object body) throws IOException {
        respond(ex, code, "application/json", Json.write(body) + "\n");
    }

    private static void respond(HttpExchange ex, int code, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(code, b.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(b);
        }
    }

    @Override
    public void close() {
        http.stop(0);
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
