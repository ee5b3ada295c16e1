package org.remaptarget.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.remaptarget.target.api.RemapTarget;

@RemapTargetTest(size = 8L << 20, luns = 2)
class RemapTargetExtensionTest {
    private static RemapTarget seenBeforeAll;

    @BeforeAll
    static void before(RemapTarget target) {
        seenBeforeAll = target;
    }

    @Test
    void injectsARunningServerOnLoopback(RemapTarget target) throws Exception {
        assertTrue(target.port() > 0);
        try (Socket s = new Socket("127.0.0.1", target.port())) {
            assertTrue(s.isConnected());
        }
        assertTrue(target.url().startsWith("iscsi://127.0.0.1:" + target.port() + "/iqn.2026-11.org.remaptarget:test/0"));
    }

    @Test
    void oneServerServesTheWholeClassWithTheRequestedLuns(RemapTarget target) {
        assertSame(seenBeforeAll, target);
        assertEquals(2, target.luns("iqn.2026-11.org.remaptarget:test").size());
        assertEquals(8L << 20, target.lun("iqn.2026-11.org.remaptarget:test", 1).logicalUnit().blockCount() * 512);
    }

    @Test
    void lunsHaveFaultInjectionAndARemapEngine(RemapTarget target) {
        var lun = target.lun("iqn.2026-11.org.remaptarget:test", 0);
        assertTrue(lun.faults().isPresent());
        assertTrue(lun.volume().isPresent());
    }

    @AfterAll
    static void after(RemapTarget target) {
        assertSame(seenBeforeAll, target);
    }
}
