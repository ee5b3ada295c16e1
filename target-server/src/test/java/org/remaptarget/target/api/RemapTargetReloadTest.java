package org.remaptarget.target.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.remaptarget.remap.device.CachingDevice;
import org.remaptarget.remap.device.FileBlockDevice;
import org.remaptarget.remap.engine.OpenOptions;
import org.remaptarget.remap.engine.RemapVolume;
import org.remaptarget.remap.table.IncrementalRemapTable;
import org.remaptarget.target.config.AccessConfig;
import org.remaptarget.target.config.ChapCredential;
import org.remaptarget.target.config.ConfigException;
import org.remaptarget.target.config.LimitsConfig;
import org.remaptarget.target.config.LunConfig;
import org.remaptarget.target.config.SecurityConfig;
import org.remaptarget.target.config.ServerConfig;
import org.remaptarget.target.config.TargetConfig;
import org.remaptarget.target.testing.TestInitiator;

/** {@link RemapTarget#reload}: a running server takes a new configuration without disturbing unchanged LUNs. */
class RemapTargetReloadTest {
    private static final String A = "iqn.2026-11.org.remaptarget:reload-a";
    private static final String B = "iqn.2026-11.org.remaptarget:reload-b";
    private static final InetSocketAddress ANY = new InetSocketAddress("127.0.0.1", 0);
    private static final long SIZE = 4L << 20;
    private static final int GOOD = 0;
    private static final int CHECK_CONDITION = 2;

    @TempDir
    Path dir;
    private RemapTarget server;
    private final List<TestInitiator> initiators = new ArrayList<>();

    @AfterEach
    void tearDown() throws IOException {
        for (TestInitiator t : initiators) {
            t.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private LunConfig lun(String name, int n) {
        return new LunConfig(n, dir.resolve(name + "-lun" + n + ".img"), SIZE, 512, null, false, false, 1L << 20,
                null, 80);
    }

    private static ServerConfig config(TargetConfig... targets) {
        return new ServerConfig("reload-test.yaml", List.of(ANY), List.of(targets));
    }

    private TargetConfig target(String iqn, String alias, int... luns) {
        List<LunConfig> l = new ArrayList<>();
        for (int n : luns) {
            l.add(lun(iqn.substring(iqn.indexOf(':') + 1), n));
        }
        return new TargetConfig(iqn, alias, l);
    }

    private TestInitiator session(String iqn) throws IOException {
        TestInitiator t = new TestInitiator(server.addresses().get(0));
        initiators.add(t);
        assertEquals(0, t.login("iqn.test:reload", 0x400000000001L + initiators.size(), iqn, Map.of())
                .statusClass(), "login to " + iqn);
        return t;
    }

    private static TestInitiator.Reply tur(TestInitiator t, long lun) throws IOException {
        return t.execute(lun, TestInitiator.testUnitReady(), 0, null, 5000);
    }

    private static List<Long> reportLuns(TestInitiator t) throws IOException {
        byte[] cdb = new byte[12];
        cdb[0] = (byte) 0xa0;
        ByteBuffer.wrap(cdb).putInt(6, 4096);
        TestInitiator.Reply r = t.execute(0, cdb, 4096, null, 5000);
        assertEquals(GOOD, r.status(), r.senseCode());
        ByteBuffer b = ByteBuffer.wrap(r.data());
        int len = b.getInt(0);
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < len / 8; i++) {
            out.add((long) (b.getShort(8 + i * 8) & 0x3fff));
        }
        return out;
    }

    @Test
    void anAddedLunAppearsAndTheOtherLunsOfItsTargetReportLunsDataChanged() throws Exception {
        server = RemapTarget.start(config(target(A, "a", 0)));
        TestInitiator s = session(A);
        assertEquals(GOOD, tur(s, 0).status());

        ReloadReport report = server.reload(config(target(A, "a", 0, 1)));

        assertEquals(List.of(A + "/1"), report.addedLuns());
        TestInitiator.Reply ua = tur(s, 0);
        assertEquals(CHECK_CONDITION, ua.status());
        assertEquals("06/3F/0E", ua.senseCode());
        assertEquals(List.of(0L, 1L), reportLuns(s));
        assertEquals(GOOD, tur(s, 1).status(), tur(s, 1).senseCode());
        assertEquals(1, server.sessionCount(), "the session was not dropped");
        assertEquals(SIZE / 512, server.lun(A, 1).logicalUnit().blockCount());
    }

    @Test
    void anUnchangedLunKeepsItsSessionAndDataWhileAnotherTargetIsAdded() throws Exception {
        server = RemapTarget.start(config(target(A, "a", 0)));
        TestInitiator s = session(A);
        byte[] data = new byte[4096];
        new Random(7).nextBytes(data);
        assertEquals(GOOD, s.execute(0, TestInitiator.write10(100, 8), 0, data, 5000).status());

        ReloadReport report = server.reload(config(target(A, "a", 0), target(B, "b", 0, 3)));

        assertEquals(List.of(B), report.addedTargets());
        assertEquals(1, report.unchangedLuns());
        TestInitiator.Reply r = s.execute(0, TestInitiator.read10(100, 8), 4096, null, 5000);
        assertEquals(GOOD, r.status(), "no unit attention on a target that did not change: " + r.senseCode());
        assertArrayEquals(data, r.data());
        TestInitiator other = session(B);
        assertEquals(List.of(0L, 3L), reportLuns(other));
        assertEquals(2, server.sessionCount());
        assertEquals(List.of(A, B), server.targetNames());
    }

    @Test
    void aRemovedTargetLosesItsSessionsAndRefusesNewLogins() throws Exception {
        server = RemapTarget.start(config(target(A, "a", 0), target(B, "b", 0)));
        TestInitiator keep = session(A);
        TestInitiator gone = session(B);

        ReloadReport report = server.reload(config(target(A, "a", 0)));

        assertEquals(List.of(B), report.removedTargets());
        assertEquals(List.of(B + "/0"), report.removedLuns());
        assertTrue(gone.closedWithin(5000), "the session to the removed target is closed");
        assertEquals(GOOD, tur(keep, 0).status());
        TestInitiator again = new TestInitiator(server.addresses().get(0));
        initiators.add(again);
        var login = again.login("iqn.test:reload", 0x400000000099L, B, Map.of());
        assertEquals(2, login.statusClass(), "initiator error");
        assertEquals(3, login.statusDetail(), "target not found");
        assertThrows(IllegalArgumentException.class, () -> server.lun(B, 0));
        // its storage was closed cleanly: it opens again with its metadata intact
        try (RemapVolume v = RemapVolume.open(lun("reload-b", 0).path(),
                OpenOptions.defaults(IncrementalRemapTable::new))) {
            assertEquals(SIZE / 512, v.device().blockCount());
        }
    }

    @Test
    void aRemovedLunAnswersLogicalUnitNotSupportedOnTheSameSession() throws Exception {
        server = RemapTarget.start(config(target(A, "a", 0, 1)));
        TestInitiator s = session(A);
        assertEquals(GOOD, tur(s, 0).status());
        assertEquals(GOOD, tur(s, 1).status());

        server.reload(config(target(A, "a", 0)));

        assertEquals("05/25/00", tur(s, 1).senseCode());
        assertEquals("06/3F/0E", tur(s, 0).senseCode());
        assertEquals(GOOD, tur(s, 0).status());
        assertEquals(List.of(0L), reportLuns(s));
    }

    @Test
    void aChangedLunIsRefusedNamingTheKeyAndTheRunningConfigurationStays() throws Exception {
        ServerConfig first = config(target(A, "a", 0));
        server = RemapTarget.start(first);
        TestInitiator s = session(A);
        LunConfig l0 = lun("reload-a", 0);
        LunConfig bigger = new LunConfig(0, l0.path(), SIZE * 2, 512, null, false, false, 1L << 20, null, 80);
        ServerConfig changed = config(new TargetConfig(A, "a", List.of(bigger)), target(B, "b", 0));

        ConfigException e = assertThrows(ConfigException.class, () -> server.reload(changed));

        assertEquals("targets[0].luns[0]", e.key());
        assertTrue(e.getMessage().contains("reload-test.yaml") && e.getMessage().contains("(size)"), e.getMessage());
        assertEquals(first, server.config());
        assertEquals(List.of(A), server.targetNames(), "target B of the refused file was not added");
        assertEquals(GOOD, tur(s, 0).status(), "no unit attention: nothing changed");
    }

    @Test
    void theSpareCacheSizeReachesTheEngineAndChangingItIsRefusedNamingTheKey() throws Exception {
        LunConfig l0 = lun("reload-a", 0);
        LunConfig none = new LunConfig(0, l0.path(), SIZE, 512, null, false, false, 1L << 20, null, 80, true, false,
                0);
        server = RemapTarget.start(config(new TargetConfig(A, "a", List.of(none)), target(B, "b", 0)));
        assertTrue(server.lun(A, 0).volume().orElseThrow().faults().inner() instanceof FileBlockDevice,
                "spare-cache 0: no cache under the fault injector");
        assertTrue(server.lun(B, 0).volume().orElseThrow().faults().inner() instanceof CachingDevice,
                "the default: a spare-area cache under the fault injector");

        ConfigException e = assertThrows(ConfigException.class,
                () -> server.reload(config(target(A, "a", 0), target(B, "b", 0))));
        assertTrue(e.getMessage().contains("(spare-cache)"), e.getMessage());
    }

    @Test
    void aChangeOfPortalsIsRefusedBecauseItNeedsARestart() throws Exception {
        server = RemapTarget.start(config(target(A, "a", 0)));
        ServerConfig moved = new ServerConfig("reload-test.yaml", List.of(new InetSocketAddress("127.0.0.2", 0)),
                List.of(target(A, "a", 0)));

        ConfigException e = assertThrows(ConfigException.class, () -> server.reload(moved));

        assertEquals("portals", e.key());
    }

    @Test
    void aNewLunThatCannotBeOpenedLeavesEveryOtherAdditionUndone() throws Exception {
        server = RemapTarget.start(config(target(A, "a", 0)));
        TestInitiator s = session(A);
        LunConfig ok = lun("reload-a", 1);
        Path foreign = dir.resolve("foreign.img");
        java.nio.file.Files.write(foreign, new byte[(int) SIZE]);   // not a remap-target volume
        LunConfig bad = new LunConfig(2, foreign, SIZE, 512, null, false, false, 1L << 20, null, 80);
        ServerConfig next = config(new TargetConfig(A, "a", List.of(lun("reload-a", 0), ok, bad)));

        ConfigException e = assertThrows(ConfigException.class, () -> server.reload(next));
        assertTrue(e.getMessage().contains("holds no remap-target metadata"), e.getMessage());

        assertThrows(IllegalArgumentException.class, () -> server.lun(A, 1));
        assertEquals(List.of(0L), reportLuns(s));
        // LUN 1's storage was released: a later reload can open it
        server.reload(config(new TargetConfig(A, "a", List.of(lun("reload-a", 0), ok))));
        assertEquals(List.of(0L, 1L), server.luns(A).stream().map(LunHandle::lun).toList());
    }

    @Test
    void aNewLunOnThePathOfALunRemovedInTheSameReloadIsRefused() throws Exception {
        server = RemapTarget.start(config(target(A, "a", 0, 1)));
        LunConfig moved = new LunConfig(5, lun("reload-a", 1).path(), SIZE, 512, null, false, false, 1L << 20,
                null, 80);
        ServerConfig next = config(new TargetConfig(A, "a", List.of(lun("reload-a", 0), moved)));

        ConfigException e = assertThrows(ConfigException.class, () -> server.reload(next));

        assertTrue(e.getMessage().contains("remove it in one reload"), e.getMessage());
        assertEquals(List.of(0L, 1L), server.luns(A).stream().map(LunHandle::lun).toList());
    }

    @Test
    void anAliasChangeKeepsTheTargetAndItsSessions() throws Exception {
        server = RemapTarget.start(config(target(A, "a", 0)));
        TestInitiator s = session(A);

        ReloadReport report = server.reload(config(target(A, "renamed", 0)));

        assertEquals(List.of(A), report.aliasChanges());
        assertEquals(GOOD, tur(s, 0).status());
        assertEquals("renamed", server.config().targets().get(0).alias());
    }

    @Test
    void reloadingTheSameConfigurationChangesNothing() throws Exception {
        ServerConfig c = config(target(A, "a", 0, 1));
        server = RemapTarget.start(c);
        TestInitiator s = session(A);

        ReloadReport report = server.reload(c);

        assertTrue(!report.changed(), report.toString());
        assertEquals(2, report.unchangedLuns());
        assertEquals(GOOD, tur(s, 0).status());
    }

    @Test
    void aTargetAddedWithChapIsRefusedBecauseAccessControlIsSetUpAtStart() throws Exception {
        server = RemapTarget.start(config(target(A, "a", 0)));
        TargetConfig b = target(B, "b", 0);
        AccessConfig chap = new AccessConfig(new ChapCredential("user", "a-long-chap-secret"), null, List.of(),
                List.of(), Map.of());
        ServerConfig next = config(target(A, "a", 0), new TargetConfig(B, "b", b.luns(), chap));

        ConfigException e = assertThrows(ConfigException.class, () -> server.reload(next));

        assertEquals("targets[1]", e.key());
        assertEquals(List.of(A), server.targetNames(), "B is not served without its CHAP");
    }

    @Test
    void changedDiscoveryAccessOrLimitsAreRefused() throws Exception {
        ServerConfig first = config(target(A, "a", 0));
        server = RemapTarget.start(first);
        SecurityConfig limits = new SecurityConfig(first.security().discovery(), false,
                new LimitsConfig(4, null, null, null, null, null, null, null, null));
        ServerConfig next = new ServerConfig("reload-test.yaml", List.of(ANY), first.targets(), limits);

        ConfigException e = assertThrows(ConfigException.class, () -> server.reload(next));

        assertTrue(e.getMessage().contains("limits changed"), e.getMessage());
    }

    @Test
    void aMaskedTargetKeepsItsLunMasksAcrossAnAliasChangeAndAnAddedLun() throws Exception {
        String me = "iqn.test:reload";
        AccessConfig masks = new AccessConfig(null, null, List.of(), List.of(), Map.of(me, List.of(0L, 2L)));
        TargetConfig masked = new TargetConfig(A, "a", target(A, "a", 0, 1).luns(), masks);
        server = RemapTarget.start(config(masked));
        TestInitiator s = session(A);
        assertEquals(List.of(0L), reportLuns(s), "LUN 1 is masked from this initiator");

        server.reload(config(new TargetConfig(A, "renamed", target(A, "a", 0, 1, 2).luns(), masks)));

        assertEquals("06/3F/0E", tur(s, 0).senseCode());
        assertEquals(List.of(0L, 2L), reportLuns(s), "still masked; the added LUN 2 is in the mask");
        TestInitiator fresh = session(A);
        assertEquals(List.of(0L, 2L), reportLuns(fresh));
    }

    @Test
    void aClosedServerRefusesToReload() throws Exception {
        ServerConfig c = config(target(A, "a", 0));
        server = RemapTarget.start(c);
        server.close();

        assertThrows(IllegalStateException.class, () -> server.reload(c));
    }
}
