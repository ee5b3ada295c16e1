package org.remaptarget.target.robustness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;
import org.remaptarget.target.api.RemapTarget;
import org.remaptarget.target.net.IscsiSettings;
import org.remaptarget.target.pdu.LoginResponsePdu;
import org.remaptarget.target.pdu.NopInPdu;
import org.remaptarget.target.pdu.Pdu;
import org.remaptarget.target.pdu.RejectPdu;
import org.remaptarget.target.pdu.RejectReason;
import org.remaptarget.target.testing.TestInitiator;
import org.remaptarget.target.testing.VerifiedIo;

/** Each configurable limit is enforced on a live server (one behaviour per test). */
class LimitsTest {
    static final String IQN = "iqn.2026-11.org.remaptarget:limits";
    static final String IQN2 = "iqn.2026-11.org.remaptarget:limits2";
    static final Map<String, String> NO_DIGESTS = Map.of("HeaderDigest", "None", "DataDigest", "None");

    private static RemapTarget start(UnaryOperator<IscsiSettings.Builder> tune) throws Exception {
        return RemapTarget.builder().settings(tune).target(IQN).memoryLun(0, 64L << 20).and()
                .target(IQN2).memoryLun(0, 8L << 20).and().start();
    }

    private static InetSocketAddress portal(RemapTarget t) {
        return new InetSocketAddress("127.0.0.1", t.port());
    }

    private static TestInitiator loggedIn(RemapTarget t, String target, int n) throws Exception {
        TestInitiator ini = new TestInitiator(portal(t));
        LoginResponsePdu r = ini.login("iqn.2026-11.org.example:lim" + n, 0x80_0000_3000L + n, target, NO_DIGESTS);
        assertEquals(0, r.statusClass(), "login " + n);
        return ini;
    }

    @Test
    void dataSegmentAboveMaxRecvDataSegmentLengthIsRejectedAndTheConnectionClosed() throws Exception {
        try (RemapTarget t = start(b -> b.maxRecvDataSegmentLength(8192));
             TestInitiator ini = loggedIn(t, IQN, 1)) {
            byte[] data = new byte[16384];
            ini.send(ini.command(TestInitiator.write10(0, 32), false, true, data.length, data, true));
            Pdu p = ini.receive(5000);
            RejectPdu reject = assertInstanceOf(RejectPdu.class, p);
            assertEquals(RejectReason.PROTOCOL_ERROR, reject.reason());
            assertTrue(ini.closedWithin(5000));
        }
    }

    @Test
    void sessionsAboveThePerTargetLimitAreRefusedWithOutOfResources() throws Exception {
        try (RemapTarget t = start(b -> b.maxSessionsPerTarget(2));
             TestInitiator a = loggedIn(t, IQN, 1); TestInitiator b = loggedIn(t, IQN, 2);
             TestInitiator c = new TestInitiator(portal(t)); TestInitiator other = loggedIn(t, IQN2, 4)) {
            LoginResponsePdu r = c.login("iqn.2026-11.org.example:lim3", 0x80_0000_3003L, IQN, NO_DIGESTS);
            assertEquals(3, r.statusClass());
            assertEquals(2, r.statusDetail());
        }
    }

    @Test
    void sessionsAboveTheServerLimitAreRefusedWithOutOfResources() throws Exception {
        try (RemapTarget t = start(b -> b.maxSessions(2));
             TestInitiator a = loggedIn(t, IQN, 1); TestInitiator b = loggedIn(t, IQN2, 2);
             TestInitiator c = new TestInitiator(portal(t))) {
            LoginResponsePdu r = c.login("iqn.2026-11.org.example:lim3", 0x80_0000_3003L, IQN2, NO_DIGESTS);
            assertEquals(3, r.statusClass());
            assertEquals(2, r.statusDetail());
        }
    }

    @Test
    void silentConnectionIsClosedAtTheLoginTimeout() throws Exception {
        try (RemapTarget t = start(b -> b.loginTimeout(Duration.ofSeconds(1)));
             TestInitiator ini = new TestInitiator(portal(t))) {
            long start = System.nanoTime();
            assertTrue(ini.closedWithin(6000), "closed");
            assertTrue(System.nanoTime() - start >= 900_000_000L, "not before the timeout");
        }
    }

    @Test
    void initiatorThatNeverAnswersNopInsIsDropped() throws Exception {
        try (RemapTarget t = start(b -> b.nopIn(Duration.ofSeconds(1), Duration.ofSeconds(1)));
             TestInitiator ini = loggedIn(t, IQN, 1)) {
            Pdu first = ini.receive(5000);
            assertInstanceOf(NopInPdu.class, first);
            assertTrue(ini.closedWithin(8000), "dropped after the NOP-In timeout");
            NetworkFuzzTest.awaitSessions(t, 0);
        }
    }

    @Test
    void loginGrantsTheConfiguredCommandWindow() throws Exception {
        try (RemapTarget t = start(b -> b.commandWindow(8)); TestInitiator ini = new TestInitiator(portal(t))) {
            LoginResponsePdu r = ini.login("iqn.2026-11.org.example:win", 0x80_0000_3010L, IQN, NO_DIGESTS);
            assertEquals(0, r.statusClass());
            assertEquals(8, r.maxCmdSN() - r.expCmdSN() + 1);
        }
    }

    @Test
    void commandBeyondTheWindowIsNotExecuted() throws Exception {
        try (RemapTarget t = start(b -> b.commandWindow(4)); TestInitiator ini = loggedIn(t, IQN, 1)) {
            ini.cmdSN += 10; // far outside [ExpCmdSN, MaxCmdSN]
            ini.send(ini.command(TestInitiator.testUnitReady(), false, false, 0, null, true));
            Pdu p = ini.poll(700);
            assertTrue(p == null || p instanceof NopInPdu, "no response to an out-of-window command: " + p);
        }
    }

    @Test
    void initiatorThatStopsReadingDoesNotStallAnotherSession() throws Exception {
        try (RemapTarget t = start(b -> b); TestInitiator stuck = loggedIn(t, IQN, 1);
             VerifiedIo good = new VerifiedIo(portal(t), IQN2, "iqn.2026-11.org.example:good", 0x80_0000_3020L, 0,
                     512, 5)) {
            // 64 reads of 1 MiB each, never read back: the target's send buffer and queues fill up
            for (int i = 0; i < 64; i++) {
                byte[] cdb = TestInitiator.read10((long) i * 2048, 2048);
                stuck.send(stuck.command(cdb, true, false, 2048 * 512, null, true));
            }
            long end = System.nanoTime() + 3_000_000_000L;
            while (System.nanoTime() < end) {
                assertNull(good.step());
            }
            assertTrue(good.ops() > 20, "the good session made progress: " + good.ops());
        }
    }
}
