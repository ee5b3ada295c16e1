package org.remaptarget.target.api;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.remaptarget.target.auth.MaskedScsiCore;
import org.remaptarget.target.auth.SecurityPolicy;
import org.remaptarget.target.login.Authenticator;
import org.remaptarget.target.scsi.ScsiCore;
import java.util.function.UnaryOperator;
import java.security.SecureRandom;
import java.time.Duration;
import org.remaptarget.target.config.LimitsConfig;
import org.remaptarget.target.config.ConfigException;
import org.remaptarget.target.config.LunConfig;
import org.remaptarget.target.config.ServerConfig;
import org.remaptarget.target.config.TargetConfig;
import org.remaptarget.target.lun.LogicalUnit;
import org.remaptarget.target.net.IscsiServer;
import org.remaptarget.target.net.IscsiSettings;
import org.remaptarget.target.session.TargetDirectory;
import org.remaptarget.target.session.TargetEntry;
import org.remaptarget.target.scsi.TargetCore;

/**
 * A running remap-target server: the public entry point for the command line and for programs that embed a target
 * (for instance in their integration tests). Wires configuration to LUN backends, SCSI cores and the iSCSI server,
 * and owns all of them: {@link #close()} stops the listener, drops every session, checkpoints and closes every LUN
 * and ends every thread it started. No static state: several servers can run in one JVM.
 */
public final class RemapTarget implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(RemapTarget.class);

    private final ServerConfig config;
    private final IscsiServer iscsi;
    private final ExecutorService ioExecutor;
    private final Map<String, Map<Long, LunHandle>> luns;
    private final Object closeLock = new Object();
    private boolean closed;
    private final List<java.nio.file.Path> deleteOnClose = new java.util.concurrent.CopyOnWriteArrayList<>();

    private RemapTarget(ServerConfig config, IscsiServer iscsi, ExecutorService ioExecutor,
                        Map<String, Map<Long, LunHandle>> luns) {
        this.config = config;
        this.iscsi = iscsi;
        this.ioExecutor = ioExecutor;
        this.luns = luns;
    }

    /** A builder for servers configured in code (memory, temporary-file and file LUNs). */
    public static RemapTargetBuilder builder() {
        return new RemapTargetBuilder();
    }

    void deleteOnClose(List<java.nio.file.Path> files) {
        deleteOnClose.addAll(files);
    }

    /** Start-up options that are not part of the configuration file. */
    public record Options(int ioThreads, long prepopulateRemaps) {
        public static Options defaults() {
            return new Options(64, 0);
        }

        public Options withIoThreads(int n) {
            return new Options(n, prepopulateRemaps);
        }

        /** Benchmarks only: remap this many blocks of every remapped LUN before serving. */
        public Options withPrepopulateRemaps(long n) {
            return new Options(ioThreads, n);
        }
    }

    /** Starts a server for {@code config} with default options. */
    public static RemapTarget start(ServerConfig config) throws IOException, ConfigException {
        return start(config, Options.defaults());
    }

    /**
     * Opens (creating on first start) every LUN of {@code config}, binds every portal and returns the running
     * server. On any failure everything opened so far is closed again.
     */
    public static RemapTarget start(ServerConfig config, Options options) throws IOException, ConfigException {
        Authenticator security = SecurityPolicy.configured(config)
                ? SecurityPolicy.fromConfig(config, new SecureRandom()) : null;
        return start(config, options, security, b -> applyLimits(config.security().limits(), b));
    }

    /** The configured {@code limits:} applied over the built-in settings. */
    public static IscsiSettings.Builder applyLimits(LimitsConfig l, IscsiSettings.Builder b) {
        IscsiSettings cur = b.build();
        if (l.maxSessions() != null) {
            b.maxSessions(l.maxSessions());
        }
        if (l.maxSessionsPerTarget() != null) {
            b.maxSessionsPerTarget(l.maxSessionsPerTarget());
        }
        if (l.commandWindow() != null) {
            b.commandWindow(l.commandWindow());
        }
        if (l.maxRecvDataSegmentLength() != null) {
            b.maxRecvDataSegmentLength(l.maxRecvDataSegmentLength());
        }
        if (l.loginTimeoutSeconds() != null) {
            b.loginTimeout(Duration.ofSeconds(l.loginTimeoutSeconds()));
        }
        if (l.nopInIntervalSeconds() != null || l.nopInTimeoutSeconds() != null) {
            b.nopIn(l.nopInIntervalSeconds() == null ? cur.nopInInterval()
                            : Duration.ofSeconds(l.nopInIntervalSeconds()),
                    l.nopInTimeoutSeconds() == null ? cur.nopInTimeout() : Duration.ofSeconds(l.nopInTimeoutSeconds()));
        }
        if (l.maxWriteBufferBytes() != null) {
            b.maxWriteBufferBytes(l.maxWriteBufferBytes());
        }
        return b;
    }

    /**
     * As {@link #start(ServerConfig, Options)} with access control and limits: {@code security} authenticates and
     * authorizes every login (null: open access; a {@link SecurityPolicy} also masks LUNs per initiator), and
     * {@code limits} adjusts the iSCSI settings (sessions, connections, timeouts, window, segment lengths).
     */
    public static RemapTarget start(ServerConfig config, Options options, Authenticator security,
                                    UnaryOperator<IscsiSettings.Builder> limits) throws IOException, ConfigException {
        ExecutorService io = Executors.newFixedThreadPool(options.ioThreads(), named("scsi-io"));
        List<LunHandle> opened = new ArrayList<>();
        IscsiServer server = null;
        try {
            Map<String, Map<Long, LunHandle>> luns = new LinkedHashMap<>();
            List<TargetEntry> entries = new ArrayList<>();
            for (TargetConfig t : config.targets()) {
                Map<Long, LunHandle> byLun = new LinkedHashMap<>();
                List<LogicalUnit> units = new ArrayList<>();
                for (LunConfig lc : t.luns()) {
                    LunHandle h = LunHandle.open(config.source(), t, lc, options);
                    opened.add(h);
                    byLun.put((long) lc.lun(), h);
                    units.add(h.logicalUnit());
                }
                luns.put(t.iqn(), Collections.unmodifiableMap(byLun));
                ScsiCore core = new TargetCore(t.iqn(), units, io);
                if (security instanceof SecurityPolicy policy && !policy.access(t.iqn()).lunMasks().isEmpty()) {
                    String iqn = t.iqn();
                    core = new MaskedScsiCore(core, (initiator, lun) -> policy.lunVisible(iqn, initiator, lun));
                }
                entries.add(new TargetEntry(t.iqn(), t.alias(), core));
            }
            IscsiSettings settings = limits.apply(IscsiSettings.defaults().toBuilder()).portals(config.portals())
                    .build();
            server = new IscsiServer(settings, TargetDirectory.of(entries),
                    security == null ? Authenticator.none() : security);
            server.start();
            RemapTarget rt = new RemapTarget(config, server, io, Collections.unmodifiableMap(luns));
            LOG.info("serving {} target(s) on {}", config.targets().size(), server.boundAddresses());
            return rt;
        } catch (IOException | ConfigException | RuntimeException e) {
            if (server != null) {
                server.close();
            }
            for (LunHandle h : opened) {
                h.closeQuietly();
            }
            io.shutdownNow();
            throw e;
        }
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** The bound portal addresses (with the real port when 0 was configured). */
    public List<InetSocketAddress> addresses() {
        return iscsi.boundAddresses();
    }

    /** The port of the first portal. */
    public int port() {
        return addresses().get(0).getPort();
    }

    /** The configuration this server runs. */
    public ServerConfig config() {
        return config;
    }

    /** The IQNs served, in configuration order. */
    public List<String> targetNames() {
        return List.copyOf(luns.keySet());
    }

    /** The libiscsi/QEMU URL of a LUN on the first portal: {@code iscsi://HOST:PORT/IQN/LUN}. */
    public String url(String iqn, long lun) {
        InetSocketAddress a = addresses().get(0);
        String h = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
        if (h.contains(":")) {
            h = "[" + h + "]";
        }
        return "iscsi://" + h + ":" + a.getPort() + "/" + iqn + "/" + lun;
    }

    /** The URL of LUN 0 of the first target. */
    public String url() {
        return url(targetNames().get(0), 0);
    }

    /** A LUN's handle (its engine, stats and fault controls), or throws if there is none. */
    public LunHandle lun(String iqn, long lun) {
        Map<Long, LunHandle> m = luns.get(iqn);
        LunHandle h = m == null ? null : m.get(lun);
        if (h == null) {
            throw new IllegalArgumentException("no LUN " + lun + " in target " + iqn);
        }
        return h;
    }

    /** The LUNs of target {@code iqn}, ascending. */
    public java.util.Collection<LunHandle> luns(String iqn) {
        Map<Long, LunHandle> m = luns.get(iqn);
        if (m == null) {
            throw new IllegalArgumentException("no target " + iqn);
        }
        return m.values();
    }

    /** Number of live normal sessions. */
    public int sessionCount() {
        return iscsi.sessionCount();
    }

    /** Stops serving and closes every LUN (checkpointing remap metadata). Idempotent. */
    @Override
    public void close() {
        synchronized (closeLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        iscsi.close();
        ioExecutor.shutdown();
        try {
            if (!ioExecutor.awaitTermination(30, TimeUnit.SECONDS)) {
                ioExecutor.shutdownNow();
            }
        } catch (InterruptedException e) {
            ioExecutor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        for (Map<Long, LunHandle> m : luns.values()) {
            for (LunHandle h : m.values()) {
                h.closeQuietly();
            }
        }
        for (java.nio.file.Path p : deleteOnClose) {
            try {
                java.nio.file.Files.deleteIfExists(p);
            } catch (IOException e) {
                LOG.debug("cannot delete {}: {}", p, e.getMessage());
            }
        }
        LOG.info("stopped");
    }
}
