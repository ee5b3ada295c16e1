package org.remaptarget.target.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.remaptarget.target.config.LunConfig;
import org.remaptarget.target.config.ServerConfig;
import org.remaptarget.target.config.TargetConfig;
import org.remaptarget.target.testing.TestInitiator;

/**
 * An initiator that drops its connection without logging out and logs in again at once finds the I_T nexus loss
 * already processed (libiscsi's PreventAllow.ITNexusLoss does exactly this): the old nexus's PREVENT MEDIUM
 * REMOVAL no longer holds the medium.
 */
class NexusLossTest {
    private static final String IQN = "iqn.2026-11.org.remaptarget:nexus-loss";
    private static final int ROUNDS = 30;

    @TempDir
    Path dir;
    private RemapTarget server;

    @AfterEach
    void tearDown() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    private TestInitiator login(long isid) throws IOException {
        TestInitiator t = new TestInitiator(server.addresses().get(0));
        assertEquals(0, t.login("iqn.test:nexus-loss", isid, IQN, Map.of()).statusClass());
        for (int i = 0; i < 4 && t.execute(0, TestInitiator.testUnitReady(), 0, null, 5000).status() != 0; i++) {
            // unit attentions (power on, nexus loss) are consumed here
        }
        return t;
    }

    private static byte[] preventAllow(boolean prevent) {
        return new byte[] {0x1e, 0, 0, 0, (byte) (prevent ? 1 : 0), 0};
    }

    private static byte[] startStop(boolean start) {
        return new byte[] {0x1b, 0, 0, 0, (byte) (0x02 | (start ? 1 : 0)), 0}; // LOEJ: eject or load
    }

    @Test
    void aDroppedConnectionReleasesItsPreventHoldBeforeTheInitiatorsNextLoginCanAsk() throws Exception {
        LunConfig lun = new LunConfig(0, dir.resolve("removable.img"), 4L << 20, 512, null, false, false, 1L << 20,
                null, 80, true, true);
        server = RemapTarget.start(new ServerConfig("nexus-loss.yaml",
                List.of(new InetSocketAddress("127.0.0.1", 0)), List.of(new TargetConfig(IQN, "n", List.of(lun)))));
        for (int round = 0; round < ROUNDS; round++) {
            TestInitiator first = login(0x400000000100L + round * 2L);
            TestInitiator.Reply held = first.execute(0, preventAllow(true), 0, null, 5000);
            assertEquals(0, held.status(), held.senseCode());
            TestInitiator.Reply refused = first.execute(0, startStop(false), 0, null, 5000);
            assertEquals("05/53/02", refused.senseCode(), "round " + round + ": the hold refuses an eject");
            first.close(); // no logout: the TCP connection just ends

            try (TestInitiator second = login(0x400000000101L + round * 2L)) {
                TestInitiator.Reply eject = second.execute(0, startStop(false), 0, null, 5000);
                assertEquals(0, eject.status(), "round " + round + ": eject right after the other nexus was lost: "
                        + eject.senseCode());
                TestInitiator.Reply load = second.execute(0, startStop(true), 0, null, 5000);
                assertEquals(0, load.status(), load.senseCode());
            }
        }
    }
}
