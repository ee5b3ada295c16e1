package org.remaptarget.target.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The admin API's TLS identity: a self-signed ECDSA P-256 certificate generated with BouncyCastle on first start
 * and kept in the data directory ({@code admin-tls.p12} and its password file {@code admin-tls.pass}, both mode
 * 0600), reused on later starts. Clients pin it by its SHA-256 fingerprint, printed at start-up, or by the public
 * certificate {@code admin-tls.crt} (PEM, mode 0644) written beside them on every start.
 *
 * <p>Immutable once loaded. The clock and random source are constructor parameters (no static state).
 */
public final class AdminTls {
    public static final String KEYSTORE = "admin-tls.p12";
    public static final String PASSWORD_FILE = "admin-tls.pass";
    /** The public certificate alone, for clients on the same machine to pin ({@code remap-target status}). */
    public static final String CERTIFICATE = "admin-tls.crt";
    private static final String ALIAS = "admin";
    private static final Duration VALIDITY = Duration.ofDays(3650);

    private final SSLContext context;
    private final X509Certificate certificate;

    private AdminTls(SSLContext context, X509Certificate certificate) {
        this.context = context;
        this.certificate = certificate;
    }

    /**
     * Loads the identity from {@code dataDir}, creating it first when absent.
     *
     * @param names host names and IP addresses the certificate names (subjectAltName)
     */
    public static AdminTls loadOrCreate(Path dataDir, List<String> names, Clock clock, SecureRandom random)
            throws IOException {
        Path store = dataDir.resolve(KEYSTORE);
        Path pass = dataDir.resolve(PASSWORD_FILE);
        try {
            if (!Files.exists(store)) {
                create(store, pass, names, clock, random);
            }
            char[] password = Files.readString(pass, StandardCharsets.US_ASCII).trim().toCharArray();
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                ks.load(in, password);
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, random);
            X509Certificate cert = (X509Certificate) ks.getCertificate(ALIAS);
            writeCertificate(dataDir.resolve(CERTIFICATE), cert);
            return new AdminTls(ctx, cert);
        } catch (GeneralSecurityException e) {
            throw new IOException("admin TLS identity in " + store + " is unusable: " + e.getMessage(), e);
        }
    }

    private static void create(Path store, Path pass, List<String> names, Clock clock, SecureRandom random)
            throws IOException, GeneralSecurityException {
        Files.createDirectories(store.toAbsolutePath().getParent());
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"), random);
        KeyPair kp = gen.generateKeyPair();
        X509Certificate cert = selfSigned(kp, names, clock.instant(), random);
        byte[] pw = new byte[24];
        random.nextBytes(pw);
        char[] password = Base64.getUrlEncoder().withoutPadding().encodeToString(pw).toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry(ALIAS, kp.getPrivate(), password, new X509Certificate[] {cert});
        writePrivate(pass, new String(password).getBytes(StandardCharsets.US_ASCII));
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        ks.store(bytes, password);
        writePrivate(store, bytes.toByteArray());
    }

    /** Writes the PEM certificate unless the file already holds exactly it. */
    private static void writeCertificate(Path file, X509Certificate cert) throws IOException,
            GeneralSecurityException {
        String pem = "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(cert.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        byte[] bytes = pem.getBytes(StandardCharsets.US_ASCII);
        if (!Files.exists(file) || !java.util.Arrays.equals(Files.readAllBytes(file), bytes)) {
            write(file, bytes, "rw-r--r--");
        }
    }

    private static void writePrivate(Path file, byte[] content) throws IOException {
        write(file, content, "rw-------");
    }

    private static void write(Path file, byte[] content, String permissions) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions)));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp);
        }
        try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE)) {
            out.write(content);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static X509Certificate selfSigned(KeyPair kp, List<String> names, Instant now, SecureRandom random)
            throws GeneralSecurityException, IOException {
        X500Name subject = new X500Name("CN=remap-target admin");
        BigInteger serial = new BigInteger(127, random).add(BigInteger.ONE);
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial,
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), subject, kp.getPublic());
        List<GeneralName> alt = new ArrayList<>();
        for (String n : names) {
            alt.add(isIp(n) ? new GeneralName(GeneralName.iPAddress, n) : new GeneralName(GeneralName.dNSName, n));
        }
        if (!alt.isEmpty()) {
            b.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(alt.toArray(new GeneralName[0])));
        }
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        PrivateKey key = kp.getPrivate();
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e.getMessage(), e);
        }
    }

    private static boolean isIp(String n) {
        if (!n.matches("[0-9A-Fa-f:.]+") || !(n.contains(".") || n.contains(":"))) {
            return false;
        }
        try {
            InetAddress.getByName(n);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public SSLContext context() {
        return context;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** SHA-256 of the certificate, as colon-separated upper-case hex (the form browsers and openssl print). */
    public String fingerprint() {
        return fingerprint(certificate);
    }

    /** SHA-256 of {@code cert} in the form {@link #fingerprint()} prints. */
    public static String fingerprint(X509Certificate cert) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(d);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
