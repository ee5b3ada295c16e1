package org.remaptarget.target.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.remaptarget.target.api.RemapTarget;

class AdminTlsTest {
    @TempDir
    Path dir;

    private AdminTls tls() throws Exception {
        return AdminTls.loadOrCreate(dir, List.of("localhost", "127.0.0.1"), Clock.systemUTC(),
                new SecureRandom(new byte[] {9}));
    }

    @Test
    void firstStartCreatesAPrivateKeyStoreAndLaterStartsReuseIt() throws Exception {
        AdminTls first = tls();
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve(AdminTls.KEYSTORE))));
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve(AdminTls.PASSWORD_FILE))));
        AdminTls again = tls();
        assertEquals(first.fingerprint(), again.fingerprint());
        first.certificate().checkValidity();
    }

    @Test
    void thePublicCertificateIsWrittenBesideTheKeyStoreForClientsToPin() throws Exception {
        AdminTls t = tls();
        Path crt = dir.resolve(AdminTls.CERTIFICATE);
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(crt)));
        java.security.cert.X509Certificate read;
        try (var in = Files.newInputStream(crt)) {
            read = (java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(in);
        }
        assertEquals(t.fingerprint(), AdminTls.fingerprint(read));
        assertTrue(Files.readString(crt).startsWith("-----BEGIN CERTIFICATE-----\n"));
        Files.delete(crt);
        tls();                                           // a later start writes it again
        assertTrue(Files.exists(crt));
    }

    @Test
    void fingerprintIsTheSha256OfTheCertificate() throws Exception {
        AdminTls t = tls();
        String expect = HexFormat.ofDelimiter(":").withUpperCase()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(t.certificate().getEncoded()));
        assertEquals(expect, t.fingerprint());
        assertEquals(32 * 3 - 1, t.fingerprint().length());
    }

    @Test
    void adminApiAnswersOverHttpsToAClientPinningTheCertificate() throws Exception {
        AdminTls t = tls();
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("admin", t.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);
        try (RemapTarget target = RemapTarget.builder().target("iqn.2026-11.org.remaptarget:tls")
                .memoryLun(0, 1L << 20).and().start()) {
            AdminServer admin = new AdminServer(target, new InetSocketAddress("127.0.0.1", 0), "tok-123456789", t);
            try {
                int port = admin.address().getPort();
                assertEquals("https", admin.scheme());
                HttpClient https = HttpClient.newBuilder().sslContext(client).connectTimeout(Duration.ofSeconds(5))
                        .build();
                HttpResponse<String> r = https.send(HttpRequest.newBuilder(
                        URI.create("https://localhost:" + port + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode());
                assertTrue(r.body().contains("remap"), r.body());
                HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                assertThrows(java.io.IOException.class, () -> plain.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString()));
            } finally {
                admin.close();
            }
        }
    }
}
