package org.remaptarget.it;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import org.remaptarget.target.api.RemapTarget;
import org.remaptarget.target.config.LunConfig;
import org.remaptarget.target.config.ServerConfig;
import org.remaptarget.target.config.TargetConfig;

/** Starts servers for the integration tests through the same public API users embed. */
final class TestTargets {
    static final String IQN = "iqn.2026-11.org.remaptarget:it";

    private TestTargets() {
    }

    /** One target with one LUN of {@code sizeBytes} under {@code dir}, on 127.0.0.1 with an ephemeral port. */
    static RemapTarget start(Path dir, long sizeBytes, boolean passthrough) throws Exception {
        return start(dir, sizeBytes, passthrough, 16L << 20);
    }

    /** As {@link #start(Path, long, boolean)} with a spare area of {@code spareBytes}. */
    static RemapTarget start(Path dir, long sizeBytes, boolean passthrough, long spareBytes) throws Exception {
        LunConfig lun = new LunConfig(0, dir.resolve("lun0.img"), sizeBytes, 512, null, false, passthrough,
                spareBytes, null, 80);
        ServerConfig cfg = new ServerConfig("integration test", List.of(new InetSocketAddress("127.0.0.1", 0)),
                List.of(new TargetConfig(IQN, "it", List.of(lun))));
        return RemapTarget.start(cfg);
    }

    /** One write-protected LUN (created first, then served read-only). */
    static RemapTarget startReadOnly(Path dir, long sizeBytes) throws Exception {
        start(dir, sizeBytes, false).close();      // create and format it
        LunConfig lun = new LunConfig(0, dir.resolve("lun0.img"), sizeBytes, 512, null, true, false,
                16L << 20, null, 80);
        ServerConfig cfg = new ServerConfig("integration test (read-only)",
                List.of(new InetSocketAddress("127.0.0.1", 0)), List.of(new TargetConfig(IQN, "it", List.of(lun))));
        return RemapTarget.start(cfg);
    }

    /** One thin LUN with a removable medium ({@code removable: true}): RMB, eject and load with LOEJ. */
    static RemapTarget startRemovable(Path dir, long sizeBytes) throws Exception {
        LunConfig lun = new LunConfig(0, dir.resolve("lun0.img"), sizeBytes, 512, null, false, false,
                16L << 20, null, 80, true, true);
        ServerConfig cfg = new ServerConfig("integration test (removable)",
                List.of(new InetSocketAddress("127.0.0.1", 0)), List.of(new TargetConfig(IQN, "it", List.of(lun))));
        return RemapTarget.start(cfg);
    }
}
