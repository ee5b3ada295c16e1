package org.remaptarget.target.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.remaptarget.target.login.Authenticator.Step;
import org.remaptarget.target.text.KeyValue;

class ChapExchangeTest {
    static final ChapSecret INITIATOR = new ChapSecret("alice", "initiator-secret-1");
    static final ChapSecret TARGET = new ChapSecret("target", "target-secret-22");

    static ChapExchange exchange(ChapSecret mutual, List<ChapAlgorithm> algs) {
        return new ChapExchange(INITIATOR, mutual, algs, new SecureRandom(new byte[] {1, 2, 3}));
    }

    static Map<String, String> map(Step s) {
        java.util.LinkedHashMap<String, String> m = new java.util.LinkedHashMap<>();
        for (KeyValue kv : s.response()) {
            m.put(kv.key(), kv.value());
        }
        return m;
    }

    static byte[] digest(String alg, int id, String secret, byte[] challenge) throws Exception {
        MessageDigest md = MessageDigest.getInstance(alg);
        md.update((byte) id);
        md.update(secret.getBytes(StandardCharsets.UTF_8));
        md.update(challenge);
        return md.digest();
    }

    static byte[] unhex(String v) {
        return HexFormat.of().parseHex(v.substring(2));
    }

    @Test
    void targetPicksItsMostPreferredAlgorithmAmongThoseOffered() {
        Step s = exchange(null, SecurityPolicy.withMd5()).step(List.of(new KeyValue("CHAP_A", "5,6,7")));
        assertEquals("7", map(s).get("CHAP_A"));
        assertEquals(32, unhex(map(s).get("CHAP_C")).length);
    }

    @Test
    void md5IsRefusedUnlessConfigured() {
        Step s = exchange(null, SecurityPolicy.DEFAULT_ALGORITHMS).step(List.of(new KeyValue("CHAP_A", "5")));
        assertTrue(s.failed());
        assertEquals("Reject", map(s).get("CHAP_A"));
    }

    @Test
    void correctResponseCompletesOneWayChap() throws Exception {
        ChapExchange x = exchange(null, SecurityPolicy.withMd5());
        Map<String, String> c = map(x.step(List.of(new KeyValue("CHAP_A", "5"))));
        int id = Integer.parseInt(c.get("CHAP_I"));
        byte[] r = digest("MD5", id, "initiator-secret-1", unhex(c.get("CHAP_C")));
        Step done = x.step(List.of(new KeyValue("CHAP_N", "alice"), new KeyValue("CHAP_R", ChapBinary.hex(r))));
        assertTrue(done.done());
        assertFalse(done.failed());
        assertTrue(done.response().isEmpty());
    }

    @Test
    void base64EncodedResponseIsAccepted() throws Exception {
        ChapExchange x = exchange(null, SecurityPolicy.DEFAULT_ALGORITHMS);
        Map<String, String> c = map(x.step(List.of(new KeyValue("CHAP_A", "8"))));
        byte[] r = digest("SHA3-256", Integer.parseInt(c.get("CHAP_I")), "initiator-secret-1",
                unhex(c.get("CHAP_C")));
        Step done = x.step(List.of(new KeyValue("CHAP_N", "alice"),
                new KeyValue("CHAP_R", "0b" + java.util.Base64.getEncoder().encodeToString(r))));
        assertTrue(done.done());
    }

    @Test
    void wrongSecretAndWrongUserFailAlike() throws Exception {
        for (String[] attempt : new String[][] {{"alice", "wrong-secret-123"}, {"mallory", "initiator-secret-1"}}) {
            ChapExchange x = exchange(null, SecurityPolicy.DEFAULT_ALGORITHMS);
            Map<String, String> c = map(x.step(List.of(new KeyValue("CHAP_A", "7"))));
            byte[] r = digest("SHA-256", Integer.parseInt(c.get("CHAP_I")), attempt[1], unhex(c.get("CHAP_C")));
            Step s = x.step(List.of(new KeyValue("CHAP_N", attempt[0]), new KeyValue("CHAP_R", ChapBinary.hex(r))));
            assertTrue(s.failed());
            assertTrue(s.response().isEmpty(), "no hint which part was wrong");
        }
    }

    @Test
    void mutualChapAnswersTheInitiatorsChallengeWithTheTargetSecret() throws Exception {
        ChapExchange x = exchange(TARGET, SecurityPolicy.DEFAULT_ALGORITHMS);
        Map<String, String> c = map(x.step(List.of(new KeyValue("CHAP_A", "6"))));
        byte[] r = digest("SHA-1", Integer.parseInt(c.get("CHAP_I")), "initiator-secret-1", unhex(c.get("CHAP_C")));
        byte[] mine = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");
        Map<String, String> ans = map(x.step(List.of(new KeyValue("CHAP_N", "alice"),
                new KeyValue("CHAP_R", ChapBinary.hex(r)), new KeyValue("CHAP_I", "77"),
                new KeyValue("CHAP_C", ChapBinary.hex(mine)))));
        assertEquals("target", ans.get("CHAP_N"));
        assertArrayEquals(digest("SHA-1", 77, "target-secret-22", mine), unhex(ans.get("CHAP_R")));
    }

    @Test
    void reflectedChallengeIsRefused() throws Exception {
        ChapExchange x = exchange(TARGET, SecurityPolicy.DEFAULT_ALGORITHMS);
        Map<String, String> c = map(x.step(List.of(new KeyValue("CHAP_A", "7"))));
        byte[] r = digest("SHA-256", Integer.parseInt(c.get("CHAP_I")), "initiator-secret-1",
                unhex(c.get("CHAP_C")));
        Step s = x.step(List.of(new KeyValue("CHAP_N", "alice"), new KeyValue("CHAP_R", ChapBinary.hex(r)),
                new KeyValue("CHAP_I", c.get("CHAP_I")), new KeyValue("CHAP_C", c.get("CHAP_C"))));
        assertTrue(s.failed());
    }

    @Test
    void mutualConfiguredButNotRequestedFails() throws Exception {
        ChapExchange x = exchange(TARGET, SecurityPolicy.DEFAULT_ALGORITHMS);
        Map<String, String> c = map(x.step(List.of(new KeyValue("CHAP_A", "7"))));
        byte[] r = digest("SHA-256", Integer.parseInt(c.get("CHAP_I")), "initiator-secret-1",
                unhex(c.get("CHAP_C")));
        assertTrue(x.step(List.of(new KeyValue("CHAP_N", "alice"), new KeyValue("CHAP_R", ChapBinary.hex(r))))
                .failed());
    }

    @Test
    void mutualRequestedWithoutTargetCredentialFails() throws Exception {
        ChapExchange x = exchange(null, SecurityPolicy.DEFAULT_ALGORITHMS);
        Map<String, String> c = map(x.step(List.of(new KeyValue("CHAP_A", "7"))));
        byte[] r = digest("SHA-256", Integer.parseInt(c.get("CHAP_I")), "initiator-secret-1",
                unhex(c.get("CHAP_C")));
        assertTrue(x.step(List.of(new KeyValue("CHAP_N", "alice"), new KeyValue("CHAP_R", ChapBinary.hex(r)),
                new KeyValue("CHAP_I", "1"), new KeyValue("CHAP_C", "0x0102030405060708"))).failed());
    }

    @Test
    void responseBeforeChallengeFails() {
        assertTrue(exchange(null, SecurityPolicy.DEFAULT_ALGORITHMS)
                .step(List.of(new KeyValue("CHAP_N", "alice"), new KeyValue("CHAP_R", "0x00"))).failed());
    }

    @Test
    void malformedBinaryValuesDecodeToNull() {
        assertNull(ChapBinary.decode("0xZZ"));
        assertNull(ChapBinary.decode("12"));
        assertNull(ChapBinary.decode("0b!!!"));
        assertNull(ChapBinary.decode("0x" + "00".repeat(ChapBinary.MAX_BYTES + 1)));
    }

    @Test
    void shortSecretsAreRefusedWithoutEchoingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ChapSecret("u", "tooshort"));
        assertFalse(e.getMessage().contains("tooshort"));
    }

    @Test
    void toStringNeverShowsTheSecret() {
        assertFalse(INITIATOR.toString().contains("initiator-secret-1"));
        assertFalse(new TargetAccess(INITIATOR, TARGET, java.util.Set.of(), List.of(), Map.of()).toString()
                .contains("target-secret-22"));
    }

    @Test
    void cidrMatchesAddressesInsideItsBlockOnly() throws Exception {
        Cidr c = Cidr.parse("10.1.0.0/16");
        assertTrue(c.contains(java.net.InetAddress.getByName("10.1.200.3")));
        assertFalse(c.contains(java.net.InetAddress.getByName("10.2.0.1")));
        assertTrue(Cidr.parse("fd00::/8").contains(java.net.InetAddress.getByName("fd12::1")));
        assertTrue(Cidr.parse("127.0.0.1").contains(java.net.InetAddress.getByName("::ffff:127.0.0.1")));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("example.com/8"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.0/33"));
    }
}
