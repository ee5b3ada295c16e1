package org.remaptarget.target.cli;

import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.remaptarget.target.admin.AdminServer;
import org.remaptarget.target.admin.AdminTls;
import org.remaptarget.target.api.RemapTarget;
import org.remaptarget.target.config.ConfigException;
import org.remaptarget.target.config.ConfigLoader;
import org.remaptarget.target.config.ConfigPermissions;
import org.remaptarget.target.config.ServerConfig;
import org.remaptarget.target.config.TargetConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code remap-target serve}: starts the target and serves until Ctrl-C or SIGTERM. With {@code --config}, SIGHUP
 * re-reads the file and applies it ({@link RemapTarget#reload}); a file that does not load, or a change that cannot
 * be applied while serving, is refused with the reason logged and the running configuration kept.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve iSCSI targets until interrupted (Ctrl-C or SIGTERM shut down cleanly; SIGHUP reloads "
                + "the --config file: added LUNs and targets appear, removed ones go away, unchanged ones keep "
                + "serving).",
                "Without --config: target " + ServerConfig.DEMO_IQN + ", LUN 0 = a 1 GiB sparse remapped LUN "
                        + "created under --data-dir on first start."})
final class ServeCommand implements Callable<Integer> {
    private static final Logger LOG = LogManager.getLogger(ServeCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--listen", paramLabel = "HOST:PORT",
            description = "Portal to listen on (default 127.0.0.1:3260; overrides the configuration's portals).")
    String listen;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "data",
            description = "Where the built-in default LUN lives (default ./data).")
    Path dataDir;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration (see conf/remap-target.yaml).")
    Path config;

    @Option(names = "--allow-insecure-config-permissions",
            description = "Serve a configuration holding CHAP secrets even when group or others can read it.")
    boolean allowInsecureConfigPermissions;

    @Option(names = "--admin-tls",
            description = "Serve the admin API over HTTPS with a self-signed certificate kept in the data directory "
                    + "(generated on first start; its SHA-256 fingerprint and the token are printed). Required "
                    + "for a non-loopback --admin address.")
    boolean adminTls;

    @Option(names = "--admin", paramLabel = "HOST:PORT", defaultValue = AdminOptions.DEFAULT_ADMIN,
            description = "Admin API and /metrics listen address (default ${DEFAULT-VALUE}; 'off' disables it). "
                    + "A non-loopback address needs --admin-tls.")
    String admin;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "Admin token file, created (mode 0600) if missing (default: DATA_DIR/admin.token).")
    Path tokenFile;

    @Option(names = "--bench-prepopulate-remaps", hidden = true, defaultValue = "0",
            description = "Benchmarks only: remap this many blocks of each remapped LUN before serving.")
    long prepopulateRemaps;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ServerConfig cfg;
        try {
            InetSocketAddress portal = listen == null ? null : parseListen(listen);
            if (config != null) {
                cfg = new ConfigLoader().load(config);
                if (!allowInsecureConfigPermissions) {
                    ConfigPermissions.check(config, cfg);
                }
                if (portal != null) {
                    cfg = cfg.withPortal(portal);
                }
            } else {
                cfg = ServerConfig.demo(dataDir, portal == null ? new InetSocketAddress("127.0.0.1", 3260) : portal);
            }
        } catch (ConfigException e) {
            err.println("remap-target: " + e.getMessage());
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("remap-target: --listen: " + e.getMessage());
            return 2;
        }

        RemapTarget server;
        try {
            server = RemapTarget.start(cfg, RemapTarget.Options.defaults().withPrepopulateRemaps(prepopulateRemaps));
        } catch (BindException e) {
            err.println("remap-target: cannot listen on " + cfg.portals() + ": " + e.getMessage()
                    + " (another target running? choose another port with --listen HOST:PORT)");
            return 1;
        } catch (ConfigException e) {
            err.println("remap-target: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            LOG.debug("start-up failed", e);
            err.println("remap-target: cannot start: " + e.getMessage());
            return 1;
        }

        AdminServer adminServer = null;
        if (!"off".equalsIgnoreCase(admin)) {
            try {
                InetSocketAddress a = parseListen(admin);
                boolean loopback = a.getAddress() != null && a.getAddress().isLoopbackAddress();
                if (!loopback && !adminTls) {
                    throw new IllegalArgumentException(admin + " is not a loopback address; add --admin-tls to "
                            + "serve the admin API over HTTPS there");
                }
                String token = AdminToken.loadOrCreate(tokenFile != null ? tokenFile : dataDir.resolve("admin.token"));
                AdminTls tls = null;
                if (adminTls) {
                    List<String> names = new ArrayList<>(List.of("localhost", "127.0.0.1", "::1"));
                    if (a.getAddress() != null && !a.getAddress().isAnyLocalAddress()) {
                        names.add(a.getAddress().getHostAddress());
                    }
                    names.add(java.net.InetAddress.getLocalHost().getHostName());
                    tls = AdminTls.loadOrCreate(dataDir, names, Clock.systemUTC(), new SecureRandom());
                }
                adminServer = new AdminServer(server, a, token, tls);
                if (tls != null) {
                    out.println("Admin API TLS certificate SHA-256 fingerprint: " + tls.fingerprint());
                    out.println("Admin API token: " + token);
                    InetSocketAddress bound = adminServer.address();
                    out.println("  CLI: remap-target status --admin https://" + host(bound) + ":" + bound.getPort()
                            + " --admin-fingerprint " + tls.fingerprint());
                }
            } catch (IllegalArgumentException e) {
                server.close();
                err.println("remap-target: --admin: " + e.getMessage());
                return 2;
            } catch (java.io.IOException e) {
                server.close();
                err.println("remap-target: cannot start the admin API on " + admin + ": " + e.getMessage()
                        + " (choose another with --admin HOST:PORT, or --admin off)");
                return 1;
            }
        }
        AdminServer adminToClose = adminServer;
        InetSocketAddress portalOverride = listen == null ? null : parseListen(listen);
        ReloadOnHangup hangup = ReloadOnHangup.install(() -> reload(server, portalOverride));

        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            LOG.info("shutting down");
            if (hangup != null) {
                hangup.close();
            }
            if (adminToClose != null) {
                adminToClose.close();
            }
            server.close();
            stopped.countDown();
        }, "remap-target-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        printBanner(out, server, cfg);
        if (config != null && hangup != null) {
            out.println("Reload " + config + " with: kill -HUP " + ProcessHandle.current().pid()
                    + "  (or systemctl reload remap-target)");
        }
        if (adminServer != null) {
            out.println("Admin API and metrics: " + adminServer.scheme() + "://" + host(adminServer.address()) + ":"
                    + adminServer.address().getPort() + "/metrics  (try: ./remap-target status)");
        }
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** One SIGHUP: re-read the configuration file and apply it, or log why not and keep serving the old one. */
    private void reload(RemapTarget server, InetSocketAddress portalOverride) {
        if (config == null) {
            LOG.warn("SIGHUP: serving the built-in default (no --config FILE), nothing to reload");
            return;
        }
        LOG.info("SIGHUP: reloading {}", config);
        try {
            ServerConfig next = new ConfigLoader().load(config);
            if (portalOverride != null) {
                next = next.withPortal(portalOverride);
            }
            server.reload(next);
        } catch (ConfigException e) {
            LOG.error("configuration reload refused, still serving the previous configuration: {}", e.getMessage());
        } catch (java.io.IOException e) {
            LOG.error("configuration reload refused, still serving the previous configuration: {}: {}", config,
                    e.getMessage());
        } catch (IllegalStateException e) {
            LOG.warn("configuration reload skipped: {}", e.getMessage());
        }
    }

    private static void printBanner(PrintWriter out, RemapTarget server, ServerConfig cfg) {
        InetSocketAddress a = server.addresses().get(0);
        String hostPort = host(a) + ":" + a.getPort();
        out.println("remap-target serving on " + server.addresses() + " (configuration: " + cfg.source() + ")");
        for (TargetConfig t : cfg.targets()) {
            for (var lun : t.luns()) {
                out.println("  iSCSI URL: " + server.url(t.iqn(), lun.lun()));
            }
        }
        out.println("Use it with:");
        out.println("  iscsi-ls -s iscsi://" + hostPort);
        out.println("  iscsiadm -m discovery -t sendtargets -p " + hostPort);
        out.println("  iscsiadm -m node -T " + cfg.targets().get(0).iqn() + " -p " + hostPort + " --login");
        out.println("Stop with Ctrl-C.");
    }

    static String host(InetSocketAddress a) {
        String h = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
        return h.contains(":") ? "[" + h + "]" : h;
    }

    static InetSocketAddress parseListen(String s) {
        int colon = s.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("'" + s + "' is not HOST:PORT (for example 127.0.0.1:3260)");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' has no numeric port");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 0..65535");
        }
        return new InetSocketAddress(host, port);
    }
}
