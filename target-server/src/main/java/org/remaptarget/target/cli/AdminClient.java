package org.remaptarget.target.cli;

import java.io.IOException;
import java.net.ConnectException;
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

/** Talks to a running server's admin API for the operator subcommands. */
final class AdminClient {
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
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    AdminClient(String baseUrl, Path tokenFile) throws Failure {
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
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
            throw new Failure(3, "admin API at " + base + ": " + e.getMessage());
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
