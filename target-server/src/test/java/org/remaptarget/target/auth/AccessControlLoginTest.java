package org.remaptarget.target.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.remaptarget.target.api.RemapTarget;
import org.remaptarget.target.pdu.LoginRequestPdu;
import org.remaptarget.target.pdu.LoginResponsePdu;
import org.remaptarget.target.pdu.TextRequestPdu;
import org.remaptarget.target.pdu.TextResponsePdu;
import org.remaptarget.target.testing.TestInitiator;

/** Login-level behaviour of the security policy on a live server, driven by the test initiator. */
class AccessControlLoginTest {
    static final String CHAP = "iqn.2026-11.org.remaptarget:chap";
    static final String NET = "iqn.2026-11.org.remaptarget:net";
    static final String OPEN = "iqn.2026-11.org.remaptarget:open";
    static final String ME = "iqn.2026-11.org.example:me";
    static final Map<String, String> NO_DIGESTS = Map.of("HeaderDigest", "None", "DataDigest", "None");

    RemapTarget server;

    @BeforeEach
    void start() throws Exception {
        SecurityPolicy policy = new SecurityPolicy(Map.of(
                CHAP, new TargetAccess(new ChapSecret("alice", "alice-secret-12"), null, Set.of(), List.of(), Map.of()),
                NET, new TargetAccess(null, null, Set.of(), List.of(Cidr.parse("10.0.0.0/8")), Map.of())),
                TargetAccess.open(), SecurityPolicy.DEFAULT_ALGORITHMS, new SecureRandom());
        server = RemapTarget.builder().security(policy).target(CHAP).memoryLun(0, 1L << 20).and()
                .target(NET).memoryLun(0, 1L << 20).and().target(OPEN).memoryLun(0, 1L << 20).and().start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private TestInitiator connect() throws Exception {
        return new TestInitiator(new InetSocketAddress("127.0.0.1", server.port()));
    }

    @Test
    void skippingTheSecurityStageOfAChapTargetFailsWithAuthenticationFailure() throws Exception {
        try (TestInitiator ini = connect()) {
            LoginResponsePdu r = ini.login(ME, 0x80_0000_4001L, CHAP, NO_DIGESTS);
            assertEquals(2, r.statusClass());
            assertEquals(1, r.statusDetail());
        }
    }

    @Test
    void offeringOnlyAuthMethodNoneToAChapTargetFailsWithAuthenticationFailure() throws Exception {
        try (TestInitiator ini = connect()) {
            String keys = "InitiatorName=" + ME + "\0TargetName=" + CHAP + "\0SessionType=Normal\0AuthMethod=None\0";
            ini.send(new LoginRequestPdu(true, false, 0, 1, 0, 0, 0x80_0000_4002L, 0, 1, 0, 0, 0,
                    keys.getBytes(StandardCharsets.UTF_8)));
            LoginResponsePdu r = (LoginResponsePdu) ini.receive(5000);
            assertEquals(2, r.statusClass());
            assertEquals(1, r.statusDetail());
        }
    }

    @Test
    void chapTargetOffersChapAndChallengesWithItsPreferredAlgorithm() throws Exception {
        try (TestInitiator ini = connect()) {
            String keys = "InitiatorName=" + ME + "\0TargetName=" + CHAP
                    + "\0SessionType=Normal\0AuthMethod=CHAP,None\0";
            ini.send(new LoginRequestPdu(true, false, 0, 1, 0, 0, 0x80_0000_4003L, 0, 1, 0, 0, 0,
                    keys.getBytes(StandardCharsets.UTF_8)));
            LoginResponsePdu r = (LoginResponsePdu) ini.receive(5000);
            assertEquals(0, r.statusClass());
            assertFalse(r.transit(), "the target holds the initiator in the security stage");
            assertTrue(new String(r.data(), StandardCharsets.UTF_8).contains("AuthMethod=CHAP"));
            ini.send(new LoginRequestPdu(true, false, 0, 1, 0, 0, 0x80_0000_4003L, 0, 1, 0, 0, 0,
                    "CHAP_A=5,7,8\0".getBytes(StandardCharsets.UTF_8)));
            LoginResponsePdu c = (LoginResponsePdu) ini.receive(5000);
            String text = new String(c.data(), StandardCharsets.UTF_8);
            assertTrue(text.contains("CHAP_A=8\0"), text);
            assertTrue(text.contains("CHAP_C=0x"), text);
        }
    }

    @Test
    void sourceAddressOutsideTheAllowedNetworksFailsWithAuthorizationFailure() throws Exception {
        try (TestInitiator ini = connect()) {
            LoginResponsePdu r = ini.login(ME, 0x80_0000_4004L, NET, NO_DIGESTS);
            assertEquals(2, r.statusClass());
            assertEquals(2, r.statusDetail());
        }
    }

    @Test
    void openTargetNeedsNoAuthentication() throws Exception {
        try (TestInitiator ini = connect()) {
            assertEquals(0, ini.login(ME, 0x80_0000_4005L, OPEN, NO_DIGESTS).statusClass());
        }
    }

    @Test
    void discoveryListsOnlyTargetsTheInitiatorMayUse() throws Exception {
        try (TestInitiator ini = connect()) {
            assertEquals(0, ini.login(ME, 0x80_0000_4006L, null, NO_DIGESTS).statusClass());
            ini.send(new TextRequestPdu(true, true, false, 0, ini.nextItt(), -1, ini.cmdSN, ini.expStatSN,
                    "SendTargets=All\0".getBytes(StandardCharsets.UTF_8)));
            TextResponsePdu r = (TextResponsePdu) ini.receive(5000);
            String text = new String(r.data(), StandardCharsets.UTF_8);
            assertTrue(text.contains(OPEN) && text.contains(CHAP), text);
            assertFalse(text.contains(NET), text);
        }
    }

    @Test
    void discoveryWithDiscoveryChapConfiguredRefusesALoginWithoutChap() throws Exception {
        SecurityPolicy policy = new SecurityPolicy(Map.of(), new TargetAccess(new ChapSecret("disc", "discovery-secret"),
                null, Set.of(), List.of(), Map.of()), SecurityPolicy.DEFAULT_ALGORITHMS, new SecureRandom());
        try (RemapTarget s = RemapTarget.builder().security(policy).target(OPEN).memoryLun(0, 1L << 20).and().start();
             TestInitiator ini = new TestInitiator(new InetSocketAddress("127.0.0.1", s.port()))) {
            LoginResponsePdu r = ini.login(ME, 0x80_0000_4007L, null, NO_DIGESTS);
            assertEquals(2, r.statusClass());
            assertEquals(1, r.statusDetail());
        }
    }

    @Test
    void policyFromConfigurationCarriesCredentialsMasksAndMd5() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("policy");
        try {
            var cfg = new org.remaptarget.target.config.ConfigLoader().parse("p.yaml", """
                    chap-allow-md5: true
                    targets:
                      - iqn: iqn.2026-11.org.example:t
                        chap: {user: alice, secret: twelve-bytes-ok}
                        lun-masks: {iqn.2026-11.org.example:h: [1]}
                        luns: [{lun: 0, path: a.img, size: 1M}, {lun: 1, path: b.img, size: 1M}]
                    """, dir);
            SecurityPolicy p = SecurityPolicy.fromConfig(cfg, new SecureRandom());
            assertTrue(SecurityPolicy.configured(cfg));
            assertEquals(SecurityPolicy.withMd5(), p.algorithms());
            assertEquals("alice", p.access("iqn.2026-11.org.example:t").chap().user());
            assertFalse(p.lunVisible("iqn.2026-11.org.example:t", "iqn.2026-11.org.example:h", 0));
            assertTrue(p.lunVisible("iqn.2026-11.org.example:t", "iqn.2026-11.org.example:h", 1));
            assertTrue(p.lunVisible("iqn.2026-11.org.example:t", "iqn.2026-11.org.example:other", 0));
        } finally {
            try (var files = java.nio.file.Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
