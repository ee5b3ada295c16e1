package org.remaptarget.target.cli;

import java.nio.file.Path;
import org.remaptarget.target.admin.AdminTls;
import picocli.CommandLine.Option;

/**
 * Options shared by the subcommands that talk to a running server (picocli mixin): where the admin API is, how to
 * trust it when it speaks HTTPS, and where the token is.
 */
final class AdminOptions {
    static final String DEFAULT_ADMIN = "127.0.0.1:8326";

    @Option(names = "--admin", paramLabel = "HOST:PORT|URL", defaultValue = DEFAULT_ADMIN,
            description = "Admin API of the running server (default ${DEFAULT-VALUE}); https://HOST:PORT for a "
                    + "server started with --admin-tls.")
    String admin;

    @Option(names = "--admin-tls",
            description = "Talk HTTPS to a server started with --admin-tls (implied by an https:// --admin, "
                    + "--admin-fingerprint or --admin-cert). The server's certificate is pinned: see those two.")
    boolean adminTls;

    @Option(names = "--admin-fingerprint", paramLabel = "SHA256",
            description = "Trust only the certificate with this SHA-256 fingerprint (as 'serve --admin-tls' prints "
                    + "it; colons optional).")
    String adminFingerprint;

    @Option(names = "--admin-cert", paramLabel = "FILE",
            description = "Trust only this certificate (default: DATA_DIR/" + AdminTls.CERTIFICATE
                    + ", which the server writes; used when no --admin-fingerprint is given).")
    Path adminCert;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "Admin token file (default: DATA_DIR/admin.token).")
    Path tokenFile;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "data",
            description = "The server's data directory, where it keeps the admin token (default ./data).")
    Path dataDir;

    @Option(names = {"-t", "--target"}, paramLabel = "IQN",
            description = "Target (default: the server's only target).")
    String target;

    @Option(names = {"-l", "--lun"}, paramLabel = "N", defaultValue = "0", description = "LUN (default 0).")
    long lun;

    AdminClient client() throws AdminClient.Failure {
        String address = admin.trim();
        boolean https = adminTls || adminFingerprint != null || adminCert != null;
        if (address.regionMatches(true, 0, "https://", 0, 8)) {
            https = true;
            address = address.substring(8);
        } else if (address.regionMatches(true, 0, "http://", 0, 7)) {
            if (https) {
                throw new AdminClient.Failure(2, "--admin " + admin + " is plain HTTP, but a certificate to pin was "
                        + "given: use --admin https://" + address.substring(7));
            }
            address = address.substring(7);
        }
        if (address.endsWith("/")) {
            address = address.substring(0, address.length() - 1);
        }
        PinnedTls tls = null;
        if (https) {
            try {
                tls = adminFingerprint != null ? PinnedTls.fingerprint(adminFingerprint)
                        : PinnedTls.certificateFile(adminCert != null ? adminCert
                                : dataDir.resolve(AdminTls.CERTIFICATE));
            } catch (IllegalArgumentException e) {
                throw new AdminClient.Failure(2, "--admin-fingerprint: " + e.getMessage());
            }
        }
        try {
            return new AdminClient((https ? "https://" : "http://") + address,
                    tokenFile != null ? tokenFile : dataDir.resolve("admin.token"), tls);
        } catch (IllegalArgumentException e) {
            throw new AdminClient.Failure(2, "--admin: '" + admin + "' is not HOST:PORT or an http(s) URL");
        }
    }

    /** The path prefix of the selected LUN, resolving the default target from the server's status. */
    String lunPath(AdminClient c) throws AdminClient.Failure {
        String iqn = target;
        if (iqn == null) {
            String status = c.get("v1/status");
            java.util.List<String> iqns = new java.util.ArrayList<>();
            var m = java.util.regex.Pattern.compile("\"iqn\":\"([^\"]+)\"").matcher(status);
            while (m.find()) {
                iqns.add(m.group(1));
            }
            if (iqns.size() != 1) {
                throw new AdminClient.Failure(2, "the server has " + iqns.size() + " targets " + iqns
                        + ": choose one with --target IQN");
            }
            iqn = iqns.get(0);
        }
        return "v1/luns/" + iqn + "/" + lun + "/";
    }
}
