package org.remaptarget.target.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.remaptarget.target.admin.AdminTls;

/**
 * How the CLI trusts an HTTPS admin API: by pinning exactly one certificate, named by its SHA-256 fingerprint
 * ({@code --admin-fingerprint}, as {@code serve} prints it) or read from the certificate file the server keeps in its
 * data directory ({@code admin-tls.crt}). No certificate authority, host name or "trust all" is involved: the
 * server's leaf certificate either has the pinned fingerprint or the handshake fails, before the token is sent.
 *
 * <p>Immutable apart from {@link #presented()}, the fingerprint of a refused certificate, which the trust manager
 * records (atomically) so the caller can say what the server showed instead.
 */
final class PinnedTls {
    private final String pinned;
    private final String source;
    private final AtomicReference<String> refused = new AtomicReference<>();

    private PinnedTls(String pinned, String source) {
        this.pinned = pinned;
        this.source = source;
    }

    /** Pins {@code fingerprint}: 64 hex digits, colons, spaces and a {@code SHA256:} prefix allowed. */
    static PinnedTls fingerprint(String fingerprint) {
        return new PinnedTls(normalize(fingerprint), "--admin-fingerprint");
    }

    /** Pins the certificate in {@code file} (PEM or DER). */
    static PinnedTls certificateFile(Path file) throws AdminClient.Failure {
        try (InputStream in = Files.newInputStream(file)) {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            return new PinnedTls(AdminTls.fingerprint(cert), file.toString());
        } catch (NoSuchFileException e) {
            throw new AdminClient.Failure(2, "no certificate to pin at " + file + ": pass --admin-fingerprint "
                    + "SHA256 (printed by 'remap-target serve --admin-tls'), or --admin-cert FILE, or the server's "
                    + "--data-dir (it writes " + AdminTls.CERTIFICATE + " there)");
        } catch (IOException | CertificateException e) {
            throw new AdminClient.Failure(2, "cannot read the certificate " + file + ": " + e.getMessage());
        }
    }

    /** Upper-case, colon-separated; IllegalArgumentException when it is not a SHA-256. */
    static String normalize(String fingerprint) {
        String hex = fingerprint.trim();
        if (hex.regionMatches(true, 0, "SHA256:", 0, 7) || hex.regionMatches(true, 0, "SHA-256:", 0, 8)) {
            hex = hex.substring(hex.indexOf(':') + 1);
        }
        hex = hex.replaceAll("[:\\s]", "").toUpperCase(Locale.ROOT);
        if (!hex.matches("[0-9A-F]{64}")) {
            throw new IllegalArgumentException("'" + fingerprint + "' is not a SHA-256 fingerprint (64 hex digits, "
                    + "colons allowed, as 'remap-target serve --admin-tls' prints it)");
        }
        return hex.replaceAll("(..)(?!$)", "$1:");
    }

    String pinned() {
        return pinned;
    }

    /** Where the pin came from (the option or the certificate file), for messages. */
    String source() {
        return source;
    }

    /** The fingerprint of the certificate the server presented and the pin refused, or null. */
    String presented() {
        return refused.get();
    }

    /** A TLS context that accepts only the pinned certificate (and records what it refused). */
    SSLContext context() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new Pin(pinned, refused)}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Whether {@code address} answers a TLS handshake, without trusting it: the probe's trust manager refuses every
     * certificate (so nothing is ever sent) and returns the fingerprint the server presented, or null when the
     * server does not speak TLS.
     */
    static String probe(InetSocketAddress address) {
        AtomicReference<String> seen = new AtomicReference<>();
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new Pin("", seen)}, null);
            try (Socket raw = new Socket()) {
                raw.connect(address, 5000);
                raw.setSoTimeout(5000);
                try (SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(raw,
                        address.getHostString(), address.getPort(), false)) {
                    tls.startHandshake();
                }
            }
        } catch (IOException | GeneralSecurityException e) {
            // expected: the probe refuses every certificate
        }
        return seen.get();
    }

    /** Accepts a server whose leaf certificate has the pinned SHA-256; no client certificates. */
    private static final class Pin extends X509ExtendedTrustManager {
        private final String pinned;
        private final AtomicReference<String> refused;

        Pin(String pinned, AtomicReference<String> refused) {
            this.pinned = pinned;
            this.refused = refused;
        }

        private void check(X509Certificate[] chain) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("the server presented no certificate");
            }
            String seen = AdminTls.fingerprint(chain[0]);
            if (!seen.equals(pinned)) {
                refused.set(seen);
                throw new CertificateException("certificate SHA-256 " + seen + " is not the pinned " + pinned);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            check(chain);
        }

        private static void refuseClient() throws CertificateException {
            throw new CertificateException("the admin client authenticates no clients");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            refuseClient();
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            refuseClient();
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            refuseClient();
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
