package org.remaptarget.target.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.remaptarget.remap.device.MemoryBlockDevice;
import org.remaptarget.target.pdu.Bhs;
import org.remaptarget.target.pdu.DataInPdu;
import org.remaptarget.target.pdu.DataOutPdu;
import org.remaptarget.target.pdu.LoginResponsePdu;
import org.remaptarget.target.pdu.LogoutRequestPdu;
import org.remaptarget.target.pdu.LogoutResponsePdu;
import org.remaptarget.target.pdu.Lun;
import org.remaptarget.target.pdu.NopInPdu;
import org.remaptarget.target.pdu.NopOutPdu;
import org.remaptarget.target.pdu.Pdu;
import org.remaptarget.target.pdu.R2tPdu;
import org.remaptarget.target.pdu.RejectPdu;
import org.remaptarget.target.pdu.RejectReason;
import org.remaptarget.target.pdu.ScsiCommandPdu;
import org.remaptarget.target.pdu.ScsiResponsePdu;
import org.remaptarget.target.pdu.SnackRequestPdu;
import org.remaptarget.target.pdu.TaskMgmtRequestPdu;
import org.remaptarget.target.pdu.TaskMgmtResponsePdu;
import org.remaptarget.target.pdu.TextRequestPdu;
import org.remaptarget.target.pdu.TextResponsePdu;
import org.remaptarget.target.scsi.ScsiResult;
import org.remaptarget.target.session.TargetDirectory;
import org.remaptarget.target.session.TargetEntry;
import org.remaptarget.target.testing.FakeScsiCore;
import org.remaptarget.target.testing.TestInitiator;

class IscsiServerTest {
    private static final String IQN = "iqn.2024-01.org.remaptarget:t0";
    private static final String OTHER = "iqn.2024-01.org.remaptarget:t1";
    private static final long ISID = 0x400001370001L;

    private final ExecutorService exec = Executors.newFixedThreadPool(4);
    private final FakeScsiCore core = new FakeScsiCore(new MemoryBlockDevice(512, 8192), exec);
    private IscsiServer server;
    private final List<TestInitiator> initiators = new ArrayList<>();

    private IscsiServer start(IscsiSettings.Builder b) throws IOException {
        b.portals(List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
        server = new IscsiServer(b.build(), TargetDirectory.of(List.of(new TargetEntry(IQN, "zero", core),
                new TargetEntry(OTHER, "", core))));
        server.start();
        return server;
    }

    private IscsiServer start() throws IOException {
        return start(IscsiSettings.defaults().toBuilder());
    }

    private TestInitiator connect() throws IOException {
        TestInitiator t = new TestInitiator(server.boundAddresses().get(0));
        initiators.add(t);
        return t;
    }

    private TestInitiator loggedIn(Map<String, String> keys) throws IOException {
        TestInitiator t = connect();
        LoginResponsePdu r = t.login("iqn.test:host", ISID, IQN, keys);
        assertEquals(0, r.statusClass(), "login status");
        return t;
    }

    @AfterEach
    void tearDown() throws IOException {
        for (TestInitiator t : initiators) {
            t.close();
        }
        if (server != null) {
            server.close();
        }
        exec.shutdownNow();
    }

    private static String text(byte[] data) {
        return new String(data, StandardCharsets.UTF_8).replace('\0', '|');
    }

    @Test
    void discoverySessionListsEveryTargetWithThePortalAddress() throws IOException {
        start();
        TestInitiator t = connect();
        assertEquals(0, t.login("iqn.test:host", ISID, null, Map.of()).statusClass());
        t.send(new TextRequestPdu(true, true, false, 0, t.nextItt(), Bhs.RESERVED_TAG, t.cmdSN, t.expStatSN,
                "SendTargets=All\0".getBytes(StandardCharsets.US_ASCII)));
        TextResponsePdu r = (TextResponsePdu) t.receive(2000);
        InetSocketAddress a = server.boundAddresses().get(0);
        String portal = "TargetAddress=" + a.getAddress().getHostAddress() + ":" + a.getPort() + ",1|";
        assertEquals("TargetName=" + IQN + "|" + portal + "TargetName=" + OTHER + "|" + portal, text(r.data()));
        assertTrue(r.finalFlag());
        assertEquals(0, server.sessionCount(), "discovery sessions are not counted");
    }

    @Test
    void sendTargetsWithAnUnknownNameIsRejected() throws IOException {
        start();
        TestInitiator t = connect();
        t.login("iqn.test:host", ISID, null, Map.of());
        t.send(new TextRequestPdu(true, true, false, 0, t.nextItt(), Bhs.RESERVED_TAG, t.cmdSN, t.expStatSN,
                "SendTargets=Alle\0".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("SendTargets=Reject|", text(((TextResponsePdu) t.receive(2000)).data()));
    }

    @Test
    void loginToAnUnknownTargetIsRefusedAndTheConnectionClosed() throws IOException {
        start();
        TestInitiator t = connect();
        LoginResponsePdu r = t.login("iqn.test:host", ISID, "iqn.nope", Map.of());
        assertEquals(2, r.statusClass());
        assertEquals(3, r.statusDetail());
        assertTrue(t.closedWithin(2000));
    }

    @Test
    void writeSolicitedByR2TsReadsBackIdentically() throws IOException {
        start(IscsiSettings.defaults().toBuilder().maxBurstLength(4096).firstBurstLength(4096).maxOutstandingR2T(2));
        TestInitiator t = loggedIn(Map.of("InitialR2T", "Yes", "ImmediateData", "No",
                "MaxRecvDataSegmentLength", "4096", "MaxBurstLength", "65536", "MaxOutstandingR2T", "4"));
        byte[] data = new byte[16384];
        new Random(7).nextBytes(data);
        ScsiCommandPdu w = t.command(TestInitiator.write10(8, 32), false, true, data.length, null, true);
        t.send(w);
        int answered = 0;
        int sent = 0;
        while (sent < data.length) {
            R2tPdu r2t = assertInstanceOf(R2tPdu.class, t.receive(2000));
            assertEquals(w.initiatorTaskTag(), r2t.initiatorTaskTag());
            assertEquals(answered, r2t.r2tSN());
            assertTrue(r2t.desiredDataTransferLength() <= 4096, "R2T honours MaxBurstLength");
            answered++;
            int off = r2t.bufferOffset();
            t.send(new DataOutPdu(true, w.lun(), w.initiatorTaskTag(), r2t.targetTransferTag(), t.expStatSN, 0, off,
                    Arrays.copyOfRange(data, off, off + r2t.desiredDataTransferLength())));
            sent += r2t.desiredDataTransferLength();
        }
        ScsiResponsePdu resp = assertInstanceOf(ScsiResponsePdu.class, t.receive(2000));
        assertEquals(ScsiResult.GOOD, resp.status());
        assertEquals(4, answered);

        ScsiCommandPdu rd = t.command(TestInitiator.read10(8, 32), true, false, data.length, null, true);
        t.send(rd);
        byte[] back = new byte[data.length];
        int got = 0;
        while (true) {
            DataInPdu d = assertInstanceOf(DataInPdu.class, t.receive(2000));
            assertTrue(d.dataLength() <= 4096, "Data-In honours the initiator's MaxRecvDataSegmentLength");
            System.arraycopy(d.data(), 0, back, d.bufferOffset(), d.dataLength());
            got += d.dataLength();
            if (d.statusPresent()) {
                assertEquals(ScsiResult.GOOD, d.status());
                break;
            }
        }
        assertEquals(data.length, got);
        assertArrayEquals(data, back);
    }

    @Test
    void immediateAndUnsolicitedDataPrecedeTheFirstR2T() throws IOException {
        start(IscsiSettings.defaults().toBuilder().firstBurstLength(4096));
        TestInitiator t = loggedIn(Map.of("InitialR2T", "No", "ImmediateData", "Yes", "FirstBurstLength", "65536"));
        byte[] data = new byte[8192];
        new Random(3).nextBytes(data);
        ScsiCommandPdu w = t.command(TestInitiator.write10(0, 16), false, true, data.length,
                Arrays.copyOf(data, 1024), false);
        t.send(w);
        t.send(new DataOutPdu(true, w.lun(), w.initiatorTaskTag(), Bhs.RESERVED_TAG, t.expStatSN, 0, 1024,
                Arrays.copyOfRange(data, 1024, 4096)));
        R2tPdu r2t = assertInstanceOf(R2tPdu.class, t.receive(2000));
        assertEquals(4096, r2t.bufferOffset());
        assertEquals(4096, r2t.desiredDataTransferLength());
        t.send(new DataOutPdu(true, w.lun(), w.initiatorTaskTag(), r2t.targetTransferTag(), t.expStatSN, 0, 4096,
                Arrays.copyOfRange(data, 4096, 8192)));
        assertEquals(ScsiResult.GOOD, ((ScsiResponsePdu) t.receive(2000)).status());
        t.send(t.command(TestInitiator.read10(0, 16), true, false, data.length, null, true));
        DataInPdu d = (DataInPdu) t.receive(2000);
        assertArrayEquals(data, d.data());
    }

    @Test
    void dataOutWithTheWrongDataSNIsRejectedAndTheCommandFails() throws IOException {
        start();
        TestInitiator t = loggedIn(Map.of("InitialR2T", "No", "ImmediateData", "No"));
        ScsiCommandPdu w = t.command(TestInitiator.write10(0, 1), false, true, 512, null, false);
        t.send(w);
        t.send(new DataOutPdu(true, w.lun(), w.initiatorTaskTag(), Bhs.RESERVED_TAG, t.expStatSN, 27, 0,
                new byte[512]));
        RejectPdu rej = assertInstanceOf(RejectPdu.class, t.receive(2000));
        assertEquals(RejectReason.PROTOCOL_ERROR, rej.reason());
        ScsiResponsePdu resp = assertInstanceOf(ScsiResponsePdu.class, t.receive(2000));
        assertEquals(ScsiResponsePdu.TARGET_FAILURE, resp.response());
        t.send(t.command(TestInitiator.testUnitReady(), false, false, 0, null, true));
        assertEquals(ScsiResult.GOOD, ((ScsiResponsePdu) t.receive(2000)).status(), "the session goes on");
    }

    @Test
    void commandAfterACmdSNGapWaitsUntilTheGapIsFilled() throws IOException {
        start();
        TestInitiator t = loggedIn(Map.of());
        int first = t.cmdSN;
        t.cmdSN = first + 1;
        ScsiCommandPdu later = t.command(TestInitiator.testUnitReady(), false, false, 0, null, true);
        t.send(later);
        assertNull(t.poll(300), "held behind the gap");
        t.cmdSN = first;
        ScsiCommandPdu earlier = t.command(TestInitiator.testUnitReady(), false, false, 0, null, true);
        t.send(earlier);
        List<Integer> tags = List.of(((ScsiResponsePdu) t.receive(2000)).initiatorTaskTag(),
                ((ScsiResponsePdu) t.receive(2000)).initiatorTaskTag());
        assertTrue(tags.contains(later.initiatorTaskTag()) && tags.contains(earlier.initiatorTaskTag()));
    }

    @Test
    void commandOutsideTheWindowIsIgnored() throws IOException {
        start();
        TestInitiator t = loggedIn(Map.of());
        int exp = t.cmdSN;
        t.cmdSN = exp + 128;
        t.send(t.command(TestInitiator.testUnitReady(), false, false, 0, null, true));
        t.cmdSN = exp - 1;
        t.send(t.command(TestInitiator.testUnitReady(), false, false, 0, null, true));
        assertNull(t.poll(300));
        t.cmdSN = exp;
        t.send(t.command(TestInitiator.testUnitReady(), false, false, 0, null, true));
        ScsiResponsePdu r = (ScsiResponsePdu) t.receive(2000);
        assertEquals(exp + 1, r.expCmdSN());
        assertEquals(exp + 128, r.maxCmdSN());
    }

    @Test
    void nopOutPingIsAnsweredWithItsDataEchoed() throws IOException {
        start();
        TestInitiator t = loggedIn(Map.of());
        byte[] ping = "hello target".getBytes(StandardCharsets.US_ASCII);
        int itt = t.nextItt();
        t.send(new NopOutPdu(true, 0, itt, Bhs.RESERVED_TAG, t.cmdSN, t.expStatSN, ping));
        NopInPdu r = (NopInPdu) t.receive(2000);
        assertEquals(itt, r.initiatorTaskTag());
        assertEquals(Bhs.RESERVED_TAG, r.targetTransferTag());
        assertArrayEquals(ping, r.data());
    }

    @Test
    void snackAndUnknownOpcodesAreRejected() throws IOException {
        start();
        TestInitiator t = loggedIn(Map.of());
        t.send(new SnackRequestPdu(0, 0, 1, Bhs.RESERVED_TAG, t.expStatSN, 0, 0));
        assertEquals(RejectReason.PROTOCOL_ERROR, ((RejectPdu) t.receive(2000)).reason());
        byte[] bogus = new byte[48];
        bogus[0] = 0x1d;
        t.sendRaw(bogus);
        RejectPdu r = (RejectPdu) t.receive(2000);
        assertEquals(RejectReason.COMMAND_NOT_SUPPORTED, r.reason());
        assertEquals(0x1d, r.data()[0]);
    }

    @Test
    void abortedTaskGetsNoResponseAndTheTmfAnswersAfterItEnded() throws IOException {
        start();
        TestInitiator t = loggedIn(Map.of());
        CountDownLatch gate = core.hold();
        ScsiCommandPdu rd = t.command(TestInitiator.read10(0, 1), true, false, 512, null, true);
        t.send(rd);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (core.inFlight() == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        t.send(new TaskMgmtRequestPdu(true, 1, Lun.toField(0), t.nextItt(), rd.initiatorTaskTag(), t.cmdSN,
                t.expStatSN, rd.cmdSN(), 0));
        TaskMgmtResponsePdu r = assertInstanceOf(TaskMgmtResponsePdu.class, t.receive(3000));
        assertEquals(0, r.response());
        assertEquals(0, core.inFlight(), "the task ended before the TMF response");
        assertNull(t.poll(300), "no SCSI Response for the aborted task");
        gate.countDown();
    }

    @Test
    void abortTaskForACompletedTaskSaysTaskDoesNotExist() throws IOException {
        start();
        TestInitiator t = loggedIn(Map.of());
        ScsiCommandPdu tur = t.command(TestInitiator.testUnitReady(), false, false, 0, null, true);
        t.send(tur);
        t.receive(2000);
        t.send(new TaskMgmtRequestPdu(true, 1, Lun.toField(0), t.nextItt(), tur.initiatorTaskTag(), t.cmdSN,
                t.expStatSN, tur.cmdSN(), 0));
        assertEquals(1, ((TaskMgmtResponsePdu) t.receive(2000)).response());
    }

    @Test
    void abortTaskForACommandNotYetReceivedConsumesItsCmdSN() throws IOException {
        start();
        TestInitiator t = loggedIn(Map.of());
        int missing = t.cmdSN;
        t.send(new TaskMgmtRequestPdu(true, 1, Lun.toField(0), t.nextItt(), 0x7777, missing + 1, t.expStatSN,
                missing, 0));
        TaskMgmtResponsePdu r = (TaskMgmtResponsePdu) t.receive(2000);
        assertEquals(0, r.response());
        t.cmdSN = missing + 1;
        t.send(t.command(TestInitiator.testUnitReady(), false, false, 0, null, true));
        assertEquals(ScsiResult.GOOD, ((ScsiResponsePdu) t.receive(2000)).status(), "the window moved on");
    }

    @Test
    void newLoginFromTheSameInitiatorPortReinstatesTheSession() throws IOException {
        start();
        TestInitiator first = loggedIn(Map.of());
        TestInitiator second = loggedIn(Map.of());
        assertTrue(first.closedWithin(2000), "old connection closed");
        assertEquals(1, server.sessionCount());
        assertEquals(1, core.lostNexuses().size(), "the old nexus's tasks were aborted");
        second.send(second.command(TestInitiator.testUnitReady(), false, false, 0, null, true));
        assertEquals(ScsiResult.GOOD, ((ScsiResponsePdu) second.receive(2000)).status());
    }

    @Test
    void logoutAnswersSuccessAndEndsTheSession() throws IOException {
        start();
        TestInitiator t = loggedIn(Map.of());
        assertEquals(1, server.sessionCount());
        t.send(new LogoutRequestPdu(true, LogoutRequestPdu.CLOSE_SESSION, t.nextItt(), 0, t.cmdSN, t.expStatSN));
        LogoutResponsePdu r = (LogoutResponsePdu) t.receive(2000);
        assertEquals(LogoutResponsePdu.SUCCESS, r.response());
        assertTrue(t.closedWithin(2000));
        assertEquals(0, server.sessionCount());
    }

    @Test
    void droppedConnectionReportsTheNexusLost() throws Exception {
        start();
        TestInitiator t = loggedIn(Map.of());
        t.close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (server.sessionCount() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(0, server.sessionCount());
        assertEquals(IQN, core.lostNexuses().get(0).targetName());
    }

    @Test
    void unansweredKeepAliveDropsTheConnection() throws IOException {
        start(IscsiSettings.defaults().toBuilder().nopIn(Duration.ofMillis(200), Duration.ofMillis(400)));
        TestInitiator t = loggedIn(Map.of());
        NopInPdu ping = assertInstanceOf(NopInPdu.class, t.receive(3000));
        assertEquals(Bhs.RESERVED_TAG, ping.initiatorTaskTag());
        assertNotEquals(Bhs.RESERVED_TAG, ping.targetTransferTag());
        assertTrue(t.closedWithin(3000));
    }

    @Test
    void answeredKeepAliveKeepsTheConnection() throws IOException {
        start(IscsiSettings.defaults().toBuilder().nopIn(Duration.ofMillis(200), Duration.ofSeconds(3)));
        TestInitiator t = loggedIn(Map.of());
        long end = System.currentTimeMillis() + 1200;
        int pings = 0;
        while (System.currentTimeMillis() < end) {
            Pdu p = t.poll(300);
            if (p instanceof NopInPdu n) {
                pings++;
                t.send(new NopOutPdu(true, 0, Bhs.RESERVED_TAG, n.targetTransferTag(), t.cmdSN, t.expStatSN,
                        Pdu.NO_BYTES));
            }
        }
        assertTrue(pings >= 2, "pinged repeatedly while idle: " + pings);
        t.send(t.command(TestInitiator.testUnitReady(), false, false, 0, null, true));
        Pdu p;
        do {
            p = t.receive(2000);
        } while (p instanceof NopInPdu);
        assertEquals(ScsiResult.GOOD, ((ScsiResponsePdu) p).status());
    }

    @Test
    void sixtyFourSessionsRunIoConcurrently() throws Exception {
        start();
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                int n = i;
                results.add(clients.submit(() -> {
                    try (TestInitiator t = new TestInitiator(server.boundAddresses().get(0))) {
                        if (t.login("iqn.test:host" + n, ISID + n, IQN, Map.of()).statusClass() != 0) {
                            return false;
                        }
                        byte[] data = new byte[512];
                        Arrays.fill(data, (byte) n);
                        t.send(t.command(TestInitiator.write10(n, 1), false, true, 512, data, true));
                        if (((ScsiResponsePdu) t.receive(5000)).status() != 0) {
                            return false;
                        }
                        t.send(t.command(TestInitiator.read10(n, 1), true, false, 512, null, true));
                        return Arrays.equals(data, ((DataInPdu) t.receive(5000)).data());
                    }
                }));
            }
            for (Future<Boolean> f : results) {
                assertTrue(f.get(20, TimeUnit.SECONDS));
            }
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void closeEndsEveryThreadTheServerStarted() throws IOException {
        start();
        loggedIn(Map.of());
        server.close();
        server.close();
        long leftovers = Thread.getAllStackTraces().keySet().stream()
                .filter(th -> th.getName().startsWith("iscsi-") && th.isAlive()).count();
        assertEquals(0, leftovers);
        assertFalse(server.boundAddresses().isEmpty());
    }

    @Test
    void longSendTargetsAnswerIsSentInPiecesWithTheContinueBit() throws IOException {
        List<TargetEntry> many = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            many.add(new TargetEntry("iqn.2024-01.org.remaptarget:target-number-" + i, "", core));
        }
        server = new IscsiServer(IscsiSettings.defaults().toBuilder()
                .portals(List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))).build(),
                TargetDirectory.of(many));
        server.start();
        TestInitiator t = connect();
        assertEquals(0, t.login("iqn.test:host", ISID, null, Map.of("MaxRecvDataSegmentLength", "512"))
                .statusClass());
        int itt = t.nextItt();
        t.send(new TextRequestPdu(true, true, false, 0, itt, Bhs.RESERVED_TAG, t.cmdSN, t.expStatSN,
                "SendTargets=All\0".getBytes(StandardCharsets.US_ASCII)));
        StringBuilder all = new StringBuilder();
        int pieces = 0;
        while (true) {
            TextResponsePdu r = (TextResponsePdu) t.receive(2000);
            assertTrue(r.data().length <= 512);
            all.append(new String(r.data(), StandardCharsets.UTF_8));
            pieces++;
            if (r.finalFlag()) {
                assertFalse(r.continueFlag());
                break;
            }
            assertTrue(r.continueFlag());
            t.send(new TextRequestPdu(true, true, false, 0, itt, r.targetTransferTag(), t.cmdSN, t.expStatSN,
                    Pdu.NO_BYTES));
        }
        assertTrue(pieces > 1);
        for (int i = 0; i < 40; i++) {
            assertTrue(all.toString().contains("TargetName=iqn.2024-01.org.remaptarget:target-number-" + i + "\0"));
        }
    }

    @Test
    void crc32cDigestsProtectEveryPduOnceNegotiated() throws IOException {
        start();
        TestInitiator t = loggedIn(Map.of("HeaderDigest", "CRC32C,None", "DataDigest", "CRC32C"));
        byte[] data = new byte[4096];
        new Random(11).nextBytes(data);
        t.send(t.command(TestInitiator.write10(100, 8), false, true, data.length, data, true));
        assertEquals(ScsiResult.GOOD, ((ScsiResponsePdu) t.receive(2000)).status());
        t.send(t.command(TestInitiator.read10(100, 8), true, false, data.length, null, true));
        assertArrayEquals(data, ((DataInPdu) t.receive(2000)).data());
    }

    @Test
    void immediateCommandIsExecutedWithoutAdvancingTheWindow() throws IOException {
        start();
        TestInitiator t = loggedIn(Map.of());
        int exp = t.cmdSN;
        t.send(new ScsiCommandPdu(true, true, false, false, 1, 0, t.nextItt(), 0, exp, t.expStatSN,
                TestInitiator.testUnitReady(), -1, Pdu.NO_BYTES));
        ScsiResponsePdu r = (ScsiResponsePdu) t.receive(2000);
        assertEquals(ScsiResult.GOOD, r.status());
        assertEquals(exp, r.expCmdSN());
    }

    @Test
    void connectionThatNeverLogsInIsDroppedAfterTheLoginTimeout() throws IOException {
        start(IscsiSettings.defaults().toBuilder().loginTimeout(Duration.ofMillis(300))
                .nopIn(Duration.ofMillis(200), Duration.ofSeconds(5)));
        TestInitiator t = connect();
        assertTrue(t.closedWithin(3000));
    }

    @Test
    void constructorDoesNoIo() {
        IscsiServer s = new IscsiServer(IscsiSettings.defaults(), TargetDirectory.of(List.of()));
        assertTrue(s.boundAddresses().isEmpty());
        s.close();
    }

    @Test
    void initiatorThatStopsReadingDoesNotStallOtherSessions() throws IOException {
        start();
        TestInitiator stalled = loggedIn(Map.of("MaxRecvDataSegmentLength", "262144"));
        for (int i = 0; i < 64; i++) {
            stalled.send(stalled.command(TestInitiator.read10(0, 2048), true, false, 1 << 20, null, true));
        }
        TestInitiator other = connect();
        assertEquals(0, other.login("iqn.test:other", ISID + 99, IQN, Map.of()).statusClass());
        for (int i = 0; i < 20; i++) {
            other.send(other.command(TestInitiator.read10(i, 8), true, false, 4096, null, true));
            assertEquals(4096, ((DataInPdu) other.receive(2000)).dataLength());
        }
    }

    @Test
    void writesBeyondTheMemoryBudgetWaitForR2TsInsteadOfFailing() throws Exception {
        start(IscsiSettings.defaults().toBuilder().maxWriteBufferBytes(1 << 20));
        TestInitiator t = loggedIn(Map.of("InitialR2T", "Yes", "ImmediateData", "No",
                "MaxRecvDataSegmentLength", "262144", "MaxBurstLength", "16776192"));
        int size = 768 * 1024;
        ScsiCommandPdu a = t.command(TestInitiator.write10(0, size / 512), false, true, size, null, true);
        ScsiCommandPdu b = t.command(TestInitiator.write10(2048, size / 512), false, true, size, null, true);
        t.send(a);
        t.send(b);
        R2tPdu first = assertInstanceOf(R2tPdu.class, t.receive(2000));
        assertEquals(a.initiatorTaskTag(), first.initiatorTaskTag());
        assertNull(t.poll(300), "the second write waits for memory");
        byte[] chunk = new byte[262144];
        for (int off = 0; off < size; off += chunk.length) {
            t.send(new DataOutPdu(off + chunk.length >= size, a.lun(), a.initiatorTaskTag(),
                    first.targetTransferTag(), t.expStatSN, off / chunk.length, off, chunk));
        }
        List<Pdu> next = List.of(t.receive(2000), t.receive(2000));
        ScsiResponsePdu done = (ScsiResponsePdu) next.stream().filter(p -> p instanceof ScsiResponsePdu)
                .findFirst().orElseThrow();
        assertEquals(a.initiatorTaskTag(), done.initiatorTaskTag());
        R2tPdu second = (R2tPdu) next.stream().filter(p -> p instanceof R2tPdu).findFirst().orElseThrow();
        assertEquals(b.initiatorTaskTag(), second.initiatorTaskTag());
    }

    @Test
    void dataOutWithABadDataDigestIsRejectedAndItsCommandFails() throws IOException {
        start();
        TestInitiator t = loggedIn(Map.of("InitialR2T", "Yes", "ImmediateData", "No", "DataDigest", "CRC32C"));
        ScsiCommandPdu w = t.command(TestInitiator.write10(0, 1), false, true, 512, null, true);
        t.send(w);
        R2tPdu r2t = (R2tPdu) t.receive(2000);
        byte[] wire = org.remaptarget.target.pdu.PduEncoder.toBytes(new DataOutPdu(true, w.lun(),
                w.initiatorTaskTag(), r2t.targetTransferTag(), t.expStatSN, 0, 0, new byte[512]), false, true);
        wire[60] ^= 0x40; // corrupt the payload, keep the digest
        t.sendRaw(wire);
        assertEquals(RejectReason.DATA_DIGEST_ERROR, ((RejectPdu) t.receive(2000)).reason());
        assertEquals(ScsiResponsePdu.TARGET_FAILURE, ((ScsiResponsePdu) t.receive(2000)).response());
        t.send(t.command(TestInitiator.testUnitReady(), false, false, 0, null, true));
        assertEquals(ScsiResult.GOOD, ((ScsiResponsePdu) t.receive(2000)).status());
    }

    @Test
    void commandWithABadImmediateDataDigestFailsWithoutStallingTheWindow() throws IOException {
        start();
        TestInitiator t = loggedIn(Map.of("DataDigest", "CRC32C"));
        ScsiCommandPdu w = t.command(TestInitiator.write10(0, 1), false, true, 512, new byte[512], true);
        byte[] wire = org.remaptarget.target.pdu.PduEncoder.toBytes(w, false, true);
        wire[100] ^= 1;
        t.sendRaw(wire);
        assertEquals(RejectReason.DATA_DIGEST_ERROR, ((RejectPdu) t.receive(2000)).reason());
        ScsiResponsePdu failed = (ScsiResponsePdu) t.receive(2000);
        assertEquals(w.initiatorTaskTag(), failed.initiatorTaskTag());
        assertEquals(ScsiResponsePdu.TARGET_FAILURE, failed.response());
        t.send(t.command(TestInitiator.testUnitReady(), false, false, 0, null, true));
        assertEquals(ScsiResult.GOOD, ((ScsiResponsePdu) t.receive(2000)).status());
    }

    @Test
    void commandWindowBoundsTheCommandsInProgress() throws IOException {
        start(IscsiSettings.defaults().toBuilder().commandWindow(4));
        TestInitiator t = loggedIn(Map.of());
        int first = t.cmdSN;
        CountDownLatch gate = core.hold();
        for (int i = 0; i < 4; i++) {
            t.send(t.command(TestInitiator.read10(i, 1), true, false, 512, null, true));
        }
        ScsiCommandPdu extra = t.command(TestInitiator.read10(9, 1), true, false, 512, null, true);
        t.send(extra);
        assertNull(t.poll(200), "all four slots are busy");
        gate.countDown();
        core.release();
        int maxSeen = first;
        for (int i = 0; i < 4; i++) {
            DataInPdu d = (DataInPdu) t.receive(2000);
            assertTrue(d.initiatorTaskTag() != extra.initiatorTaskTag(), "the fifth command was outside the window");
            maxSeen = d.maxCmdSN();
        }
        assertEquals(first + 4 + 4 - 1, maxSeen, "window fully open again once all completed");
        assertNull(t.poll(200));
    }

    @Test
    void oversizedLoginPduIsRefusedAsAnInitiatorError() throws IOException {
        start();
        TestInitiator t = connect();
        byte[] text = ("InitiatorName=iqn.test:host\0TargetName=" + IQN + "\0X-pad=" + "p".repeat(200) + "\0")
                .repeat(50).getBytes(StandardCharsets.US_ASCII);
        t.send(new org.remaptarget.target.pdu.LoginRequestPdu(true, false, 1, 3, 0, 0, ISID, 0, 7, 0, 1, 0, text));
        LoginResponsePdu r = (LoginResponsePdu) t.receive(2000);
        assertEquals(2, r.statusClass());
        assertEquals(0, r.statusDetail());
        assertEquals(7, r.initiatorTaskTag());
        assertTrue(t.closedWithin(2000));
    }

    @Test
    void textRequestSplitWithTheContinueBitIsGatheredBeforeAnswering() throws IOException {
        start();
        TestInitiator t = connect();
        t.login("iqn.test:host", ISID, null, Map.of());
        int itt = t.nextItt();
        t.send(new TextRequestPdu(true, false, true, 0, itt, Bhs.RESERVED_TAG, t.cmdSN, t.expStatSN,
                "SendTar".getBytes(StandardCharsets.US_ASCII)));
        TextResponsePdu ack = (TextResponsePdu) t.receive(2000);
        assertFalse(ack.finalFlag());
        assertEquals(0, ack.data().length);
        t.send(new TextRequestPdu(true, true, false, 0, itt, ack.targetTransferTag(), t.cmdSN, t.expStatSN,
                ("gets=" + OTHER + "\0").getBytes(StandardCharsets.US_ASCII)));
        TextResponsePdu r = (TextResponsePdu) t.receive(2000);
        assertTrue(r.finalFlag());
        assertTrue(text(r.data()).startsWith("TargetName=" + OTHER + "|TargetAddress="), text(r.data()));
    }

    @Test
    void coreThatThrowsOnSubmitFailsOnlyThatCommand() throws IOException {
        org.remaptarget.target.scsi.ScsiCore broken = new org.remaptarget.target.scsi.ScsiCore() {
            @Override
            public void submit(org.remaptarget.target.scsi.ScsiTask task) {
                if (task.opcode() == 0x00) {
                    throw new IllegalStateException("bug");
                }
                core.submit(task);
            }

            @Override
            public org.remaptarget.target.scsi.TmfResponse taskManagement(org.remaptarget.target.scsi.Nexus n,
                    org.remaptarget.target.scsi.TaskManagementFunction f, long lun, long tag) {
                return core.taskManagement(n, f, lun, tag);
            }

            @Override
            public void nexusLost(org.remaptarget.target.scsi.Nexus nexus) {
                core.nexusLost(nexus);
            }

            @Override
            public List<Long> luns(org.remaptarget.target.scsi.Nexus nexus) {
                return core.luns(nexus);
            }
        };
        server = new IscsiServer(IscsiSettings.defaults().toBuilder()
                .portals(List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))).build(),
                TargetDirectory.of(List.of(new TargetEntry(IQN, "", broken))));
        server.start();
        TestInitiator t = loggedIn(Map.of());
        t.send(t.command(TestInitiator.testUnitReady(), false, false, 0, null, true));
        assertEquals(ScsiResponsePdu.TARGET_FAILURE, ((ScsiResponsePdu) t.receive(2000)).response());
        t.send(t.command(TestInitiator.read10(0, 1), true, false, 512, null, true));
        assertEquals(512, ((DataInPdu) t.receive(2000)).dataLength());
    }
}
