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
        LunConfig lun = new LunConfig(0, dir.resolve("lun0.img"), sizeBytes, 512, null, false, passthrough,
                16L << 20, null, 80);
        ServerConfig cfg = new ServerConfig("integration test", List.of(new InetSocketAddress("127.0.0.1", 0)),
                List.of(new TargetConfig(IQN, "it", List.of(lun))));
        return RemapTarget.start(cfg);
    }

    /**
     * One target whose LUN 1 is a removable medium and LUN 2 is read-only (both 64 MiB, thin), LUN 0 a plain disk
     * of {@code sizeBytes}: for the conformance tests that need such units.
     */
    static RemapTarget startWithMediaLuns(Path dir, long sizeBytes) throws Exception {
        LunConfig disk = new LunConfig(0, dir.resolve("lun0.img"), sizeBytes, 512, null, false, false,
                16L << 20, null, 80);
        LunConfig removable = new LunConfig(1, dir.resolve("lun1.img"), 64L << 20, 512, null, false, false,
                16L << 20, null, 80, true, true);
        LunConfig readOnly = new LunConfig(2, dir.resolve("lun2.img"), 64L << 20, 512, null, true, false,
                16L << 20, null, 80);
        ServerConfig cfg = new ServerConfig("integration test", List.of(new InetSocketAddress("127.0.0.1", 0)),
                List.of(new TargetConfig(IQN, "it", List.of(disk, removable, readOnly))));
        return RemapTarget.start(cfg);
    }
}
