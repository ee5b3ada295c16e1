package org.remaptarget.target.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * The whole server configuration: where to listen and what to serve. Immutable; produced by {@link ConfigLoader}
 * or {@link #demo(Path, InetSocketAddress)}.
 *
 * @param source  where it came from (a file path, or "built-in default") for messages
 * @param portals iSCSI listen addresses
 * @param targets the targets (IQNs unique)
 * @param security discovery access, CHAP algorithm choice and limits
 */
public record ServerConfig(String source, List<InetSocketAddress> portals, List<TargetConfig> targets,
                           SecurityConfig security) {

    public static final String DEMO_IQN = "iqn.2026-11.org.remaptarget:demo";
    public static final long DEMO_SIZE = 1L << 30;
    public static final long DEMO_SPARE = 64L << 20;

    public ServerConfig {
        portals = List.copyOf(portals);
        targets = List.copyOf(targets);
        security = security == null ? SecurityConfig.DEFAULTS : security;
    }

    /** With default security settings (open discovery, no MD5, default limits). */
    public ServerConfig(String source, List<InetSocketAddress> portals, List<TargetConfig> targets) {
        this(source, portals, targets, SecurityConfig.DEFAULTS);
    }

    /** The embedded default: one target, LUN 0 = a 1 GiB sparse remapped file under {@code dataDir}. */
    public static ServerConfig demo(Path dataDir, InetSocketAddress portal) {
        LunConfig lun0 = new LunConfig(0, dataDir.resolve("demo-lun0.img"), DEMO_SIZE, 512, null, false, false,
                DEMO_SPARE, null, 80);
        return new ServerConfig("built-in default", List.of(portal),
                List.of(new TargetConfig(DEMO_IQN, "remap-target demo", List.of(lun0))));
    }

    /** A copy listening on {@code portal} only. */
    public ServerConfig withPortal(InetSocketAddress portal) {
        return new ServerConfig(source, List.of(portal), targets, security);
    }
}
