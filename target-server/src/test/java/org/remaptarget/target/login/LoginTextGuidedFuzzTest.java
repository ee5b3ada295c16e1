package org.remaptarget.target.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.remaptarget.target.auth.ChapSecret;
import org.remaptarget.target.auth.SecurityPolicy;
import org.remaptarget.target.auth.TargetAccess;
import org.remaptarget.target.pdu.LoginRequestPdu;
import org.remaptarget.target.text.KeyTable;
import org.remaptarget.target.text.TextCodec;
import org.remaptarget.target.text.TextCodecCheck;
import org.remaptarget.target.text.TextParseResult;

/**
 * Coverage-guided fuzzing (Jazzer) of the text key parser and key negotiation, driven the way an initiator reaches
 * them: a login of up to four Login Requests (fuzzed stage bits and key=value text) against a target that needs no
 * authentication or CHAP. The text passes {@link TextCodecCheck}; every request gets a response and nothing
 * throws; a refusal has a non-zero status class and ends the login; the target's own text is well formed; and a
 * login that reaches full feature phase agreed parameters inside the RFC 7143 ranges. Regression inputs:
 * {@code LoginTextGuidedFuzzTestInputs/}.
 */
class LoginTextGuidedFuzzTest {
    private static final String TARGET = "iqn.2026-11.org.remaptarget:fuzz";
    private static final int MAX_TEXT = 8192;
    private static final long MAX_24 = 16_777_215L;

    private static final LoginEnvironment ENV = new LoginEnvironment() {
        @Override
        public Optional<String> targetAlias(String targetName) {
            return TARGET.equals(targetName) ? Optional.of("fuzz0") : Optional.empty();
        }

        @Override
        public Admission admit(LoginIdentity identity, NegotiatedParameters parameters) {
            return Admission.admitted(7);
        }
    };

    @FuzzTest(maxDuration = "1m")
    void anyLoginTextIsNegotiatedOrRefusedNeverThrown(FuzzedDataProvider data) throws NoSuchAlgorithmException {
        Authenticator auth = Authenticator.none();
        if (data.consumeBoolean()) {
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(42); // reproducible challenges
            auth = new SecurityPolicy(Map.of(TARGET, new TargetAccess(new ChapSecret("alice", "alice-secret-12"),
                    null, Set.of(), List.of(), Map.of())), TargetAccess.open(), SecurityPolicy.DEFAULT_ALGORITHMS,
                    random).forLogin(new InetSocketAddress("127.0.0.1", 3260));
        }
        LoginStateMachine login = new LoginStateMachine(ENV, new LoginConfig(Map.of(
                KeyTable.MAX_RECV_DATA_SEGMENT_LENGTH, "262144", KeyTable.MAX_BURST_LENGTH, "1048576"), 1, 128,
                MAX_TEXT, auth));
        TextCodec codec = new TextCodec(TextCodec.DEFAULT_MAX_VALUE, MAX_TEXT);
        int requests = data.consumeInt(1, 4);
        boolean ended = false;
        for (int i = 0; i < requests; i++) {
            int bits = data.consumeInt(0, 255);
            int csg = data.consumeInt(0, 3);
            int nsg = data.consumeInt(0, 3);
            byte[] text = i == requests - 1 ? data.consumeRemainingAsBytes()
                    : data.consumeBytes(data.consumeInt(0, 2048));
            TextCodecCheck.parse(codec, text);
            LoginStep step = login.onRequest(new LoginRequestPdu((bits & 1) != 0, (bits & 2) != 0, csg, nsg, 0,
                    (bits & 4) != 0 ? 1 : 0, 0x400001370000L, 0, i, 0, i, 0, text));
            assertNotNull(step.response());
            if (ended) {
                assertEquals(LoginStep.Next.CLOSE, step.next(), "request after the login ended");
            }
            switch (step.next()) {
                case CLOSE -> {
                    assertNotEquals(0, step.response().statusClass(), "refusal without a status");
                    assertNotNull(step.reason());
                }
                case CONTINUE -> assertEquals(0, step.response().statusClass());
                case FULL_FEATURE -> assertSane(step.parameters());
                default -> throw new AssertionError(step.next());
            }
            assertInstanceOf(TextParseResult.Parsed.class, TextCodec.standard().parse(step.response().data()),
                    "the target's own text is malformed");
            ended = step.next() != LoginStep.Next.CONTINUE;
        }
    }

    private static void assertSane(NegotiatedParameters p) {
        assertTrue(p.initiatorMaxRecvDataSegmentLength() >= 512
                && p.initiatorMaxRecvDataSegmentLength() <= MAX_24, p.toString());
        assertTrue(p.firstBurstLength() >= 512 && p.firstBurstLength() <= p.maxBurstLength()
                && p.maxBurstLength() <= MAX_24, p.toString());
        assertTrue(p.maxConnections() >= 1 && p.maxOutstandingR2T() >= 1, p.toString());
        assertTrue(p.errorRecoveryLevel() >= 0 && p.errorRecoveryLevel() <= 2, p.toString());
        assertTrue(p.defaultTime2Wait() >= 0 && p.defaultTime2Retain() >= 0, p.toString());
    }
}
