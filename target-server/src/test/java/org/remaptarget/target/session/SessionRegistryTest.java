package org.remaptarget.target.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.remaptarget.target.login.LoginIdentity;
import org.remaptarget.target.login.LoginStatus;
import org.remaptarget.target.login.NegotiatedParameters;
import org.remaptarget.target.scsi.Nexus;
import org.remaptarget.target.scsi.ScsiCore;
import org.remaptarget.target.scsi.ScsiTask;
import org.remaptarget.target.scsi.TaskManagementFunction;
import org.remaptarget.target.scsi.TmfResponse;

class SessionRegistryTest {
    private final List<Nexus> lost = new ArrayList<>();
    private final ScsiCore core = new ScsiCore() {
        @Override
        public void submit(ScsiTask task) {
        }

        @Override
        public TmfResponse taskManagement(Nexus n, TaskManagementFunction f, long lun, long tag) {
            return TmfResponse.FUNCTION_COMPLETE;
        }

        @Override
        public void nexusLost(Nexus nexus) {
            lost.add(nexus);
        }

        @Override
        public List<Long> luns(Nexus nexus) {
            return List.of(0L);
        }
    };
    private final TargetEntry target = new TargetEntry("iqn.t", "", core);
    private final NegotiatedParameters params = new NegotiatedParameters(false, "iqn.i", null, "iqn.t", false, false,
            1, true, true, 8192, 8192, 262144, 65536, 2, 20, 1, true, true, 0);
    private final SessionRegistry registry = new SessionRegistry(2, new WriteBudget(1 << 20));

    private SessionRegistry.Opened open(String initiator, long isid, int tsih) {
        return registry.open(new LoginIdentity(initiator, null, isid, tsih, 0, "iqn.t", false), params, target, 1, 0,
                128);
    }

    @Test
    void newSessionsGetDistinctNonZeroTsihs() {
        Session a = open("iqn.a", 1, 0).session();
        Session b = open("iqn.b", 1, 0).session();
        assertNotEquals(0, a.tsih());
        assertNotEquals(a.tsih(), b.tsih());
        assertEquals(2, registry.normalCount());
    }

    @Test
    void sameInitiatorPortReinstatesAndTheOldNexusIsLost() {
        Session old = open("iqn.a", 1, 0).session();
        Session fresh = open("iqn.a", 1, 0).session();
        assertTrue(old.isClosed());
        assertNotNull(fresh);
        assertEquals(List.of(old.nexus()), lost);
        assertEquals(1, registry.normalCount());
    }

    @Test
    void differentIsidIsADifferentSession() {
        open("iqn.a", 1, 0);
        open("iqn.a", 2, 0);
        assertEquals(2, registry.normalCount());
        assertTrue(lost.isEmpty());
    }

    @Test
    void unknownTsihMeansTheSessionDoesNotExist() {
        SessionRegistry.Opened r = open("iqn.a", 1, 77);
        assertNull(r.session());
        assertEquals(LoginStatus.SESSION_DOES_NOT_EXIST, r.status());
    }

    @Test
    void secondConnectionToALiveSessionIsRefused() {
        Session s = open("iqn.a", 1, 0).session();
        assertEquals(LoginStatus.TOO_MANY_CONNECTIONS, open("iqn.a", 1, s.tsih()).status());
    }

    @Test
    void sessionLimitRefusesWithOutOfResources() {
        open("iqn.a", 1, 0);
        open("iqn.b", 1, 0);
        assertEquals(LoginStatus.OUT_OF_RESOURCES, open("iqn.c", 1, 0).status());
    }

    @Test
    void closedSessionLeavesTheRegistry() {
        Session s = open("iqn.a", 1, 0).session();
        s.close("test");
        s.close("again");
        assertEquals(0, registry.normalCount());
        assertEquals(1, lost.size(), "nexus reported lost exactly once");
    }
}
