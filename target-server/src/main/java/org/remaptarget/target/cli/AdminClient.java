package org.remaptarget.target.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import org.remaptarget.target.admin.AdminTls;

/**
 * Talks to a running server's admin API for the operator subcommands: plain HTTP on loopback, or HTTPS trusting
 * only the pinned certificate ({@link PinnedTls}). Failures become a one-line message and an exit code: 1 failed on
 * the server, 2 bad request (also: wrong scheme for the server), 3 not reachable, 4 the server's certificate is
 * not the pinned one (nothing, not even the token, was sent).
 */
final class AdminClient {
    /** Exit code when the server's TLS certificate does not match the pin. */
    static final int EXIT_CERTIFICATE_MISMATCH = 4;

    /** A failure with the exit code to use and a message that says what to do. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        final int exitCode;

        Failure(int exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }
    }

    private final URI base;
    private final String token;
    private final PinnedTls tls;
    private final HttpClient http;

    /** {@code tls} is required for an {@code https} base URL and must be null for {@code http}. */
    AdminClient(String baseUrl, Path tokenFile, PinnedTls tls) throws Failure {
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        if ("https".equals(base.getScheme()) != (tls != null)) {
            throw new IllegalArgumentException("https needs a pinned certificate, http none: " + baseUrl);
        }
        this.tls = tls;
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        this.http = (tls == null ? b : b.sslContext(tls.context())).build();
        try {
            this.token = Files.readString(tokenFile).trim();
        } catch (NoSuchFileException e) {
            throw new Failure(3, "no admin token at " + tokenFile + ": is 'remap-target serve' running with this "
                    + "--data-dir? (or pass --token-file)");
        } catch (IOException e) {
            throw new Failure(3, "cannot read the admin token " + tokenFile + ": " + e.getMessage());
        }
    }

    String get(String path) throws Failure {
        return send("GET", path, Map.of());
    }

    String send(String method, String path, Map<String, String> params) throws Failure {
        StringJoiner q = new StringJoiner("&");
        params.forEach((k, v) -> q.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        URI uri = base.resolve(path + (q.length() == 0 ? "" : "?" + q));
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> resp;
        try {
            resp = http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new Failure(3, "cannot reach the admin API at " + base + ": is 'remap-target serve' running? "
                    + "(or pass --admin URL)");
        } catch (IOException e) {
            throw explain(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(1, "interrupted");
        }
        if (resp.statusCode() != 200) {
            String err = field(resp.body(), "error");
            throw new Failure(resp.statusCode() == 400 || resp.statusCode() == 404 ? 2 : 1,
                    err == null ? "admin API answered HTTP " + resp.statusCode() : err);
        }
        return resp.body();
    }

    /** Turns a failed exchange into what the operator has to know: a refused certificate, a wrong scheme. */
    private Failure explain(IOException e) {
        String hostPort = base.getHost() + ":" + base.getPort();
        if (tls != null && tls.presented() != null) {
            return new Failure(EXIT_CERTIFICATE_MISMATCH, "the admin API at " + base + " presented a certificate "
                    + "with SHA-256 fingerprint " + tls.presented() + ", not the pinned " + tls.pinned() + " (from "
                    + tls.source() + "): refusing to talk to it. Another server answers there, or its certificate "
                    + "was regenerated; compare with the fingerprint 'remap-target serve' printed.");
        }
        if (tls != null && (e instanceof SSLException || speaksPlainHttp())) {
            return new Failure(2, "the admin API at " + base + " does not speak TLS (the server runs without "
                    + "--admin-tls): use --admin " + hostPort + " (plain HTTP, loopback only)");
        }
        if (tls == null) {
            String presented = PinnedTls.probe(new InetSocketAddress(base.getHost(), base.getPort()));
            if (presented != null) {
                return new Failure(2, "the admin API at " + hostPort + " speaks TLS (the server runs with "
                        + "--admin-tls), not plain HTTP: use --admin https://" + hostPort + " with "
                        + "--admin-fingerprint FINGERPRINT (printed by 'remap-target serve'; this server presents "
                        + presented + ") or with the server's --data-dir (its " + AdminTls.CERTIFICATE + " is pinned)");
            }
        }
        return new Failure(3, "admin API at " + base + ": " + e.getMessage());
    }

    /**
     * Whether the server answers plain HTTP: a TLS ClientHello sent to a plain server just waits for a line end
     * until the connect timeout. The probe sends an anonymous {@code HEAD /} (no token) and reads the status line.
     */
    private boolean speaksPlainHttp() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
            s.setSoTimeout(5000);
            s.getOutputStream().write("HEAD / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] head = s.getInputStream().readNBytes(5);
            return new String(head, StandardCharsets.US_ASCII).equals("HTTP/");
        } catch (IOException e) {
            return false;
        }
    }

    /** Extracts a top-level string or number field from a flat JSON answer (null when absent). */
    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\":(\"((?:[^\"\\\\]|\\\\.)*)\"|-?[0-9]+|true|false)")
                .matcher(json);
        if (!m.find()) {
            return null;
        }
        return m.group(2) != null ? m.group(2).replace("\\\"", "\"").replace("\\\\", "\\") : m.group(1);
    }
}
