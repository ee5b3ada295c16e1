package org.remaptarget.target.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by the subcommands that talk to a running server (picocli mixin). */
final class AdminOptions {
    static final String DEFAULT_ADMIN = "127.0.0.1:8326";

    @Option(names = "--admin", paramLabel = "HOST:PORT", defaultValue = DEFAULT_ADMIN,
            description = "Admin API of the running server (default ${DEFAULT-VALUE}).")
    String admin;

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
        return new AdminClient("http://" + admin, tokenFile != null ? tokenFile : dataDir.resolve("admin.token"));
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
