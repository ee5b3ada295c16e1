package org.remaptarget.target.api;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import org.remaptarget.target.auth.SecurityPolicy;
import org.remaptarget.target.login.Authenticator;
import org.remaptarget.target.net.IscsiSettings;
import org.remaptarget.target.config.ConfigException;
import org.remaptarget.target.config.LunConfig;
import org.remaptarget.target.config.ServerConfig;
import org.remaptarget.target.config.TargetConfig;

/**
 * Builds a {@link RemapTarget} in code, for programs and tests that embed a target:
 * <pre>{@code
 * try (RemapTarget t = RemapTarget.builder()
 *         .target("iqn.2026-11.org.example:test").memoryLun(0, 64 << 20).fileLun(1, path, 1 << 30).and()
 *         .start()) {
 *     String url = t.url();                       // iscsi://127.0.0.1:PORT/iqn.../0
 *     t.lun("iqn.2026-11.org.example:test", 0).faults().orElseThrow();   // fault injection controls
 * }
 * }</pre>
 * Listens on 127.0.0.1 with an ephemeral port unless {@link #listen} says otherwise. Every LUN is a remap-engine
 * volume (with fault injection) unless added as passthrough. Temporary-file LUNs are deleted on close.
 */
public final class RemapTargetBuilder {
    private InetSocketAddress portal = new InetSocketAddress("127.0.0.1", 0);
    private final List<TargetBuilder> targets = new ArrayList<>();
    private RemapTarget.Options options = RemapTarget.Options.defaults().withIoThreads(16);
    private final List<Path> temporary = new ArrayList<>();
    private Authenticator security;
    private UnaryOperator<IscsiSettings.Builder> limits = b -> b;

    RemapTargetBuilder() {
    }

    /** Listen on {@code host:port} (port 0 = ephemeral, the default). */
    public RemapTargetBuilder listen(String host, int port) {
        this.portal = new InetSocketAddress(host, port);
        return this;
    }

    /** Threads executing SCSI commands (default 16 for embedded servers). */
    public RemapTargetBuilder ioThreads(int n) {
        this.options = options.withIoThreads(n);
        return this;
    }

    /** Access control: CHAP, initiator and network ACLs, LUN masks (see {@link SecurityPolicy}). */
    public RemapTargetBuilder security(Authenticator authenticator) {
        this.security = authenticator;
        return this;
    }

    /** Adjusts the iSCSI settings (limits, timeouts, negotiation defaults); the portal is set by listen(). */
    public RemapTargetBuilder settings(UnaryOperator<IscsiSettings.Builder> tune) {
        this.limits = tune;
        return this;
    }

    /** Starts describing a target; finish it with {@link TargetBuilder#and()}. */
    public TargetBuilder target(String iqn) {
        TargetBuilder t = new TargetBuilder(iqn);
        targets.add(t);
        return t;
    }

    /** Binds the portal and starts serving. */
    public RemapTarget start() throws IOException {
        if (targets.isEmpty()) {
            throw new IllegalStateException("no target: call target(iqn) first");
        }
        List<TargetConfig> tc = new ArrayList<>();
        for (TargetBuilder t : targets) {
            if (t.luns.isEmpty()) {
                throw new IllegalStateException("target " + t.iqn + " has no LUN");
            }
            tc.add(new TargetConfig(t.iqn, t.alias, t.luns));
        }
        ServerConfig cfg = new ServerConfig("embedded", List.of(portal), tc);
        try {
            RemapTarget rt = RemapTarget.start(cfg, options, security, limits);
            rt.deleteOnClose(temporary);
            return rt;
        } catch (ConfigException e) {
            deleteQuietly();
            throw new IOException(e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            deleteQuietly();
            throw e;
        }
    }

    private void deleteQuietly() {
        for (Path p : temporary) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // best effort for temporary files
            }
        }
    }

    /** One target's LUNs. */
    public final class TargetBuilder {
        private final String iqn;
        private String alias;
        private final List<LunConfig> luns = new ArrayList<>();

        private TargetBuilder(String iqn) {
            this.iqn = iqn;
        }

        public TargetBuilder alias(String a) {
            this.alias = a;
            return this;
        }

        /** A remapped LUN held in memory ({@code sizeBytes} usable, 512-byte blocks, 1/64 of it as spares). */
        public TargetBuilder memoryLun(int lun, long sizeBytes) {
            return memoryLun(lun, sizeBytes, 512, Math.max(64L * 512, sizeBytes / 64 / 512 * 512));
        }

        /** A remapped LUN held in memory with the given block size and spare area. */
        public TargetBuilder memoryLun(int lun, long sizeBytes, int blockSize, long spareBytes) {
            luns.add(new LunConfig(lun, null, sizeBytes, blockSize, null, false, false, spareBytes, null, 80));
            return this;
        }

        /** A remapped LUN in a temporary file deleted when the server closes. */
        public TargetBuilder tempFileLun(int lun, long sizeBytes) throws IOException {
            Path p = Files.createTempFile("remap-target-lun", ".img");
            Files.delete(p);          // the engine creates and formats it
            temporary.add(p);
            temporary.add(p.resolveSibling(p.getFileName() + ".pr"));
            return fileLun(lun, p, sizeBytes);
        }

        /** A remapped LUN at {@code path}: created on first start, reopened afterwards. */
        public TargetBuilder fileLun(int lun, Path path, long sizeBytes) {
            luns.add(new LunConfig(lun, path, sizeBytes, 512, null, false, false,
                    Math.max(64L * 512, sizeBytes / 64 / 512 * 512), null, 80));
            return this;
        }

        /** A LUN serving {@code path} as it is, without the remap engine. */
        public TargetBuilder passthroughLun(int lun, Path path, long sizeBytes) {
            luns.add(new LunConfig(lun, path, sizeBytes, 512, null, false, true, 0, null, 80));
            return this;
        }

        /** Back to the server builder. */
        public RemapTargetBuilder and() {
            return RemapTargetBuilder.this;
        }

        /** Shortcut for {@code and().start()}. */
        public RemapTarget start() throws IOException {
            return and().start();
        }
    }
}
