package org.remaptarget.target.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.remaptarget.target.admin.AdminServer;
import org.remaptarget.target.admin.AdminTls;
import org.remaptarget.target.api.RemapTarget;

/**
 * The operator commands against an HTTPS admin API ({@code serve --admin-tls}): trusted only by a pinned
 * certificate, named by fingerprint or read from the server's data directory; a wrong pin, a wrong scheme in either
 * direction and a missing pin each end in one clear line and their exit code, never a stack trace.
 */
class AdminTlsCliTest {
    private static final String IQN = "iqn.2026-11.org.remaptarget:tlscli";

    @TempDir
    static Path dataDir;
    @TempDir
    static Path otherDir;
    private static RemapTarget target;
    private static AdminServer https;
    private static AdminTls tls;
    private static AdminTls otherTls;
    private static Path tokenFile;

    /** What one CLI run printed and returned. */
    private record Run(int exit, String out, String err) {
    }

    @BeforeAll
    static void start() throws Exception {
        target = RemapTarget.builder().target(IQN).memoryLun(0, 4L << 20).and().start();
        tokenFile = dataDir.resolve("admin.token");
        String token = AdminToken.loadOrCreate(tokenFile);
        tls = AdminTls.loadOrCreate(dataDir, List.of("localhost", "127.0.0.1"), Clock.systemUTC(),
                new SecureRandom());
        otherTls = AdminTls.loadOrCreate(otherDir, List.of("localhost", "127.0.0.1"), Clock.systemUTC(),
                new SecureRandom());
        https = new AdminServer(target, new InetSocketAddress("127.0.0.1", 0), token, tls);
    }

    @AfterAll
    static void stop() {
        https.close();
        target.close();
    }

    private String httpsAddress() {
        return "127.0.0.1:" + https.address().getPort();
    }

    private Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    private Run cli(List<String> args) {
        return cli(args.toArray(String[]::new));
    }

    private static void assertNoStackTrace(Run r) {
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    }

    @Test
    void statusOverHttpsWithThePrintedFingerprintShowsTheServer() {
        Run r = cli("status", "--admin", "https://" + httpsAddress(), "--admin-fingerprint", tls.fingerprint(),
                "--token-file", tokenFile.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains(IQN), r.out());
    }

    @Test
    void fingerprintIsAcceptedWithoutColonsInLowerCaseAndImpliesHttps() {
        String bare = tls.fingerprint().replace(":", "").toLowerCase(java.util.Locale.ROOT);
        Run r = cli("stats", "--admin", httpsAddress(), "--admin-fingerprint", bare, "--token-file",
                tokenFile.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("\"mode\": \"remap\""), r.out());
    }

    @Test
    void withoutAFingerprintTheCertificateTheServerWroteInItsDataDirectoryIsPinned() throws Exception {
        assertTrue(Files.isRegularFile(dataDir.resolve(AdminTls.CERTIFICATE)));
        Run r = cli("status", "--admin", "https://" + httpsAddress(), "--data-dir", dataDir.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains(IQN), r.out());
        Run flag = cli("status", "--admin", httpsAddress(), "--admin-tls", "--data-dir", dataDir.toString());
        assertEquals(0, flag.exit(), flag.err());
    }

    @Test
    void everyOperatorCommandWorksOverHttps() {
        List<String> common = List.of("--admin", "https://" + httpsAddress(), "--admin-fingerprint",
                tls.fingerprint(), "--token-file", tokenFile.toString());
        List<List<String>> commands = List.of(List.of("remap", "add", "5"), List.of("remap", "list"),
                List.of("fault", "add", "--op", "read", "--lba", "9", "--outcome", "medium-error"),
                List.of("fault", "list"), List.of("fault", "clear"), List.of("scrub", "start", "--wait"),
                List.of("scrub", "status"));
        for (List<String> c : commands) {
            Run r = cli(concat(c, common));
            assertEquals(0, r.exit(), c + ": " + r.err());
        }
        Run list = cli(concat(List.of("remap", "list"), common));
        assertTrue(list.out().contains("1 remapped block(s)"), list.out());
    }

    @Test
    void aWrongFingerprintIsRefusedWithExitCode4AndOneClearLine() {
        Run r = cli("status", "--admin", "https://" + httpsAddress(), "--admin-fingerprint", otherTls.fingerprint(),
                "--token-file", tokenFile.toString());
        assertEquals(AdminClient.EXIT_CERTIFICATE_MISMATCH, r.exit(), r.err());
        assertTrue(r.err().contains("presented a certificate with SHA-256 fingerprint " + tls.fingerprint()
                + ", not the pinned " + otherTls.fingerprint()), r.err());
        assertTrue(r.err().contains("refusing to talk to it"), r.err());
        assertEquals("", r.out());
        assertNoStackTrace(r);
    }

    @Test
    void anotherServersCertificateFileIsRefusedLikeAWrongFingerprint() {
        Run r = cli("status", "--admin", "https://" + httpsAddress(), "--admin-cert",
                otherDir.resolve(AdminTls.CERTIFICATE).toString(), "--token-file", tokenFile.toString());
        assertEquals(AdminClient.EXIT_CERTIFICATE_MISMATCH, r.exit(), r.err());
        assertTrue(r.err().contains("from " + otherDir.resolve(AdminTls.CERTIFICATE)), r.err());
        assertNoStackTrace(r);
    }

    @Test
    void aPlainHttpClientToTheTlsServerIsToldToUseHttpsAndAPin() {
        Run r = cli("status", "--admin", httpsAddress(), "--token-file", tokenFile.toString());
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("speaks TLS"), r.err());
        assertTrue(r.err().contains("use --admin https://" + httpsAddress() + " with --admin-fingerprint"), r.err());
        assertTrue(r.err().contains(tls.fingerprint()), r.err());
        assertNoStackTrace(r);
    }

    @Test
    void anHttpsClientToAPlainServerIsToldToDropHttps() throws Exception {
        // its own plain server: the TLS ClientHello leaves one of its two threads waiting for a request line
        try (AdminServer plain = new AdminServer(target, new InetSocketAddress("127.0.0.1", 0),
                Files.readString(tokenFile).trim())) {
            String address = "127.0.0.1:" + plain.address().getPort();
            Run ok = cli("status", "--admin", address, "--token-file", tokenFile.toString());
            assertEquals(0, ok.exit(), ok.err());
            Run r = cli("status", "--admin", "https://" + address, "--admin-fingerprint", tls.fingerprint(),
                    "--token-file", tokenFile.toString());
            assertEquals(2, r.exit(), r.err());
            assertTrue(r.err().contains("does not speak TLS"), r.err());
            assertTrue(r.err().contains("use --admin " + address), r.err());
            assertNoStackTrace(r);
        }
    }

    @Test
    void httpsWithNothingToPinIsRefusedBeforeConnecting() {
        Run r = cli("status", "--admin", "https://" + httpsAddress(), "--data-dir", dataDir.resolve("nowhere")
                .toString(), "--token-file", tokenFile.toString());
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("no certificate to pin"), r.err());
        assertTrue(r.err().contains("--admin-fingerprint"), r.err());
        assertNoStackTrace(r);
    }

    @Test
    void aMalformedFingerprintOrAPinOverPlainHttpIsABadRequest() {
        Run r = cli("status", "--admin", "https://" + httpsAddress(), "--admin-fingerprint", "AB:CD",
                "--token-file", tokenFile.toString());
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("is not a SHA-256 fingerprint"), r.err());
        Run mixed = cli("status", "--admin", "http://" + httpsAddress(), "--admin-fingerprint", tls.fingerprint(),
                "--token-file", tokenFile.toString());
        assertEquals(2, mixed.exit(), mixed.err());
        assertTrue(mixed.err().contains("use --admin https://" + httpsAddress()), mixed.err());
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
