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
import org.remaptarget.target.session.Session;
import org.remaptarget.target.session.TargetEntry;
import org.remaptarget.target.scsi.TargetCore;

/**
 * A running remap-target server: the public entry point for the command line and for programs that embed a target
 * (for instance in their integration tests). Wires configuration to LUN backends, SCSI cores and the iSCSI server,
 * and owns all of them: {@link #close()} stops the listener, drops every session, checkpoints and closes every LUN
 * and ends every thread it started. No static state: several servers can run in one JVM.
 *
 * <p>{@link #reload(ServerConfig)} applies a new configuration while serving: unchanged LUNs keep serving (their
 * sessions are not touched), added LUNs and targets appear, removed ones go away. Reload and close are serialised by
 * {@code lifecycle}; readers ({@link #lun}, {@link #luns}, {@link #targetNames}, {@link #config}) take volatile
 * immutable snapshots without locking.
 */
public final class RemapTarget implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(RemapTarget.class);

    private final IscsiServer iscsi;
    private final ExecutorService ioExecutor;
    private final Options options;
    private final LiveTargetDirectory directory;
    private final ServerConfig started;        // what the authenticator and iSCSI limits were built from
    private final Authenticator security;      // null: open access
    private final Object lifecycle = new Object();
    private volatile ServerConfig config;
    private volatile Map<String, Map<Long, LunHandle>> luns;   // immutable snapshot, replaced under lifecycle
    private Map<String, TargetEntry> entries;                  // guarded by lifecycle
    private boolean closed;                                    // guarded by lifecycle
    private final List<java.nio.file.Path> deleteOnClose = new java.util.concurrent.CopyOnWriteArrayList<>();

    private RemapTarget(ServerConfig config, Options options, Authenticator security, IscsiServer iscsi,
                        LiveTargetDirectory directory, ExecutorService ioExecutor,
                        Map<String, Map<Long, LunHandle>> luns, Map<String, TargetEntry> entries) {
        this.config = config;
        this.started = config;
        this.security = security;
        this.options = options;
        this.iscsi = iscsi;
        this.directory = directory;
        this.ioExecutor = ioExecutor;
        this.luns = luns;
        this.entries = entries;
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
            Map<String, TargetEntry> entries = new LinkedHashMap<>();
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
                entries.put(t.iqn(), new TargetEntry(t.iqn(), t.alias(), coreFor(t.iqn(), units, io, security)));
            }
            LiveTargetDirectory directory = new LiveTargetDirectory(List.copyOf(entries.values()));
            IscsiSettings settings = limits.apply(IscsiSettings.defaults().toBuilder()).portals(config.portals())
                    .build();
            server = new IscsiServer(settings, directory, security == null ? Authenticator.none() : security);
            server.start();
            RemapTarget rt = new RemapTarget(config, options, security, server, directory, io,
                    Collections.unmodifiableMap(luns), entries);
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

    /** A target's SCSI core, behind the policy's LUN masks when it has any for this target. */
    private static ScsiCore coreFor(String iqn, List<LogicalUnit> units, ExecutorService io, Authenticator security) {
        ScsiCore core = new TargetCore(iqn, units, io);
        if (security instanceof SecurityPolicy policy && !policy.access(iqn).lunMasks().isEmpty()) {
            core = new MaskedScsiCore(core, (initiator, lun) -> policy.lunVisible(iqn, initiator, lun));
        }
        return core;
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

    /** Number of live normal sessions logged in to target {@code iqn}. */
    public int sessionCount(String iqn) {
        int n = 0;
        for (var s : iscsi.sessions()) {
            if (!s.discovery() && s.target() != null && s.target().iqn().equals(iqn)) {
                n++;
            }
        }
        return n;
    }

    /**
     * Applies {@code next} while serving (what SIGHUP does). Validates it against the running configuration and
     * opens every new LUN before changing anything: if that fails, nothing changes and the exception says why
     * (file, key and problem). Then adds the new targets and LUNs (other LUs of a target get REPORTED LUNS DATA HAS
     * CHANGED), removes the ones no longer configured (their tasks are aborted, sessions to a removed target are
     * closed, their storage is checkpointed and closed) and updates target aliases. LUNs whose configuration is
     * unchanged keep serving without interruption.
     *
     * <p>Not applied, and refused: a change of portals (needs a restart), a change to an existing LUN's settings
     * (remove it in one reload and add it back in the next, or restart), and any change to what the authenticator
     * and the iSCSI limits were built from at start-up: discovery access, {@code chap-allow-md5}, {@code limits},
     * and a target's access rules (CHAP, ACLs, LUN masks) differing from those it had at start-up (a target that
     * was not configured then may only be added open). Refusing is the safe choice: a reload must never serve a
     * target with weaker access control than its file says.
     */
    public ReloadReport reload(ServerConfig next) throws ConfigException, IOException {
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("the server is closed");
            }
            ReloadPlan plan = ReloadPlan.of(config, next, luns);
            ReloadPlan.checkSecurityUnchanged(started, next);
            Map<String, Map<Long, LunHandle>> opened = openAll(next, plan);
            apply(next, plan, opened);
            ReloadReport report = plan.report(next.source());
            LOG.info("configuration reloaded from {}: {}", next.source(), report);
            return report;
        }
    }

    /** Opens the storage of every LUN the plan adds; on failure closes what it opened and rethrows. */
    private Map<String, Map<Long, LunHandle>> openAll(ServerConfig next, ReloadPlan plan)
            throws ConfigException, IOException {
        Map<String, Map<Long, LunHandle>> opened = new LinkedHashMap<>();
        try {
            for (ReloadPlan.LunRef ref : plan.addedLuns()) {
                LunHandle h = LunHandle.open(next.source(), ref.target(), ref.config(), options);
                opened.computeIfAbsent(ref.target().iqn(), k -> new LinkedHashMap<>()).put(ref.lun(), h);
            }
            return opened;
        } catch (IOException | ConfigException | RuntimeException e) {
            opened.values().forEach(m -> m.values().forEach(LunHandle::closeQuietly));
            throw e;
        }
    }

    /** The SCSI target core behind a directory entry's core (which may be wrapped for LUN masking). */
    private static TargetCore targetCore(ScsiCore c) {
        return c instanceof MaskedScsiCore m ? targetCore(m.delegate()) : (TargetCore) c;
    }

    private void apply(ServerConfig next, ReloadPlan plan, Map<String, Map<Long, LunHandle>> opened) {
        Map<String, Map<Long, LunHandle>> nextLuns = new LinkedHashMap<>();
        Map<String, TargetEntry> nextEntries = new LinkedHashMap<>();
        List<LunHandle> toClose = new ArrayList<>();
        for (TargetConfig t : next.targets()) {
            Map<Long, LunHandle> added = opened.getOrDefault(t.iqn(), Map.of());
            TargetEntry old = entries.get(t.iqn());
            if (old == null) {
                List<LogicalUnit> units = added.values().stream().map(LunHandle::logicalUnit).toList();
                nextEntries.put(t.iqn(), new TargetEntry(t.iqn(), t.alias(),
                        coreFor(t.iqn(), units, ioExecutor, security)));
                nextLuns.put(t.iqn(), Collections.unmodifiableMap(new LinkedHashMap<>(added)));
                continue;
            }
            TargetCore core = targetCore(old.core());
            Map<Long, LunHandle> byLun = new java.util.TreeMap<>(luns.get(t.iqn()));
            for (LunHandle h : added.values()) {
                core.addLogicalUnit(h.logicalUnit());
                byLun.put(h.lun(), h);
            }
            for (ReloadPlan.LunRef gone : plan.removedLuns()) {
                if (gone.target().iqn().equals(t.iqn())) {
                    core.removeLogicalUnit(gone.lun());
                    toClose.add(byLun.remove(gone.lun()));
                }
            }
            String alias = t.alias() == null ? "" : t.alias();
            // a new alias keeps the entry's core as it is (with its LUN masks)
            nextEntries.put(t.iqn(), alias.equals(old.alias()) ? old : new TargetEntry(t.iqn(), alias, old.core()));
            nextLuns.put(t.iqn(), Collections.unmodifiableMap(new LinkedHashMap<>(byLun)));
        }
        directory.replace(List.copyOf(nextEntries.values()));
        Map<String, TargetEntry> removedTargets = new LinkedHashMap<>(entries);
        removedTargets.keySet().removeAll(nextEntries.keySet());
        Map<String, Map<Long, LunHandle>> previous = luns;
        entries = nextEntries;
        luns = Collections.unmodifiableMap(nextLuns);
        config = next;
        for (Map.Entry<String, TargetEntry> e : removedTargets.entrySet()) {
            for (Session s : iscsi.sessions()) {
                if (!s.discovery() && s.target() != null && s.target().iqn().equals(e.getKey())) {
                    s.close("target " + e.getKey() + " removed by a configuration reload");
                }
            }
            TargetCore core = targetCore(e.getValue().core());
            for (LunHandle h : previous.get(e.getKey()).values()) {
                core.removeLogicalUnit(h.lun());
                toClose.add(h);
            }
        }
        for (LunHandle h : toClose) {
            h.closeQuietly();
        }
    }

    /** Stops serving and closes every LUN (checkpointing remap metadata). Idempotent. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
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
