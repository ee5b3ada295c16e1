package org.remaptarget.target.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.remaptarget.target.pdu.LoginRequestPdu;
import org.remaptarget.target.pdu.LoginResponsePdu;
import org.remaptarget.target.text.KeyTable;

class LoginStateMachineTest {
    private static final String TARGET = "iqn.2024-01.org.example:disk";
    private static final long ISID = 0x400001370000L;

    private final List<LoginIdentity> admitted = new ArrayList<>();
    private LoginStatus refuseWith;

    private final LoginEnvironment env = new LoginEnvironment() {
        @Override
        public Optional<String> targetAlias(String targetName) {
            return TARGET.equals(targetName) ? Optional.of("disk0") : Optional.empty();
        }

        @Override
        public Admission admit(LoginIdentity identity, NegotiatedParameters parameters) {
            if (refuseWith != null) {
                return Admission.refused(refuseWith);
            }
            admitted.add(identity);
            return Admission.admitted(42);
        }
    };

    private final LoginStateMachine login = new LoginStateMachine(env, new LoginConfig(Map.of(
            KeyTable.MAX_RECV_DATA_SEGMENT_LENGTH, "262144", KeyTable.MAX_BURST_LENGTH, "1048576",
            KeyTable.INITIAL_R2T, "No", KeyTable.FIRST_BURST_LENGTH, "262144"), 1, 128, 65536, Authenticator.none()));

    private static byte[] text(String s) {
        return s.replace('|', '\0').getBytes(StandardCharsets.UTF_8);
    }

    private static LoginRequestPdu req(boolean t, boolean c, int csg, int nsg, String keys) {
        return new LoginRequestPdu(t, c, csg, nsg, 0, 0, ISID, 0, 1, 0, 10, 0, text(keys));
    }

    private static String body(LoginResponsePdu r) {
        return new String(r.data(), StandardCharsets.UTF_8).replace('\0', '|');
    }

    private static void assertStatus(LoginStatus expected, LoginStep step) {
        assertEquals(LoginStep.Next.CLOSE, step.next());
        assertEquals(expected.statusClass(), step.response().statusClass());
        assertEquals(expected.detail(), step.response().statusDetail());
    }

    @Test
    void normalLoginGoesThroughSecurityAndOperationalStagesToFullFeature() {
        LoginStep s1 = login.onRequest(req(true, false, 0, 1,
                "InitiatorName=iqn.i|SessionType=Normal|TargetName=" + TARGET + "|AuthMethod=None|"));
        assertEquals(LoginStep.Next.CONTINUE, s1.next());
        assertTrue(s1.response().transit());
        assertEquals(1, s1.response().nextStage());
        assertTrue(body(s1.response()).contains("TargetPortalGroupTag=1|"));
        assertTrue(body(s1.response()).contains("AuthMethod=None|"));
        assertEquals(0, s1.response().tsih(), "TSIH only in the final response");

        LoginStep s2 = login.onRequest(req(true, false, 1, 3,
                "HeaderDigest=None|DataDigest=None|InitialR2T=No|ImmediateData=Yes|MaxRecvDataSegmentLength=65536|"
                        + "MaxBurstLength=16776192|FirstBurstLength=262144|"));
        assertEquals(LoginStep.Next.FULL_FEATURE, s2.next());
        assertEquals(42, s2.response().tsih());
        assertEquals(3, s2.response().nextStage());
        String b = body(s2.response());
        assertTrue(b.contains("MaxRecvDataSegmentLength=262144|"), b);
        assertTrue(b.contains("MaxBurstLength=1048576|"), b);
        NegotiatedParameters p = s2.parameters();
        assertEquals(65536, p.initiatorMaxRecvDataSegmentLength());
        assertEquals(262144, p.targetMaxRecvDataSegmentLength());
        assertEquals(1048576, p.maxBurstLength());
        assertEquals(262144, p.firstBurstLength());
        assertFalse(p.initialR2T());
        assertTrue(p.immediateData());
        assertEquals(TARGET, admitted.get(0).targetName());
        assertEquals(10 + 128 - 1, s2.response().maxCmdSN());
    }

    @Test
    void discoveryLoginNeedsNoTargetName() {
        LoginStep s = login.onRequest(req(true, false, 1, 3, "InitiatorName=iqn.i|SessionType=Discovery|"));
        assertEquals(LoginStep.Next.FULL_FEATURE, s.next());
        assertTrue(s.parameters().discovery());
        assertTrue(admitted.get(0).discovery());
    }

    @Test
    void missingInitiatorNameIsAMissingParameter() {
        assertStatus(LoginStatus.MISSING_PARAMETER, login.onRequest(req(true, false, 1, 3, "TargetName=" + TARGET + "|")));
    }

    @Test
    void normalSessionWithoutTargetNameIsAMissingParameter() {
        assertStatus(LoginStatus.MISSING_PARAMETER, login.onRequest(req(true, false, 1, 3, "InitiatorName=iqn.i|")));
    }

    @Test
    void unknownTargetIsNotFound() {
        assertStatus(LoginStatus.TARGET_NOT_FOUND,
                login.onRequest(req(true, false, 1, 3, "InitiatorName=iqn.i|TargetName=iqn.nope|")));
    }

    @Test
    void unknownSessionTypeIsNotSupported() {
        assertStatus(LoginStatus.SESSION_TYPE_NOT_SUPPORTED,
                login.onRequest(req(true, false, 1, 3, "InitiatorName=iqn.i|SessionType=Bogus|")));
    }

    @Test
    void versionAboveZeroIsUnsupported() {
        LoginRequestPdu r = new LoginRequestPdu(true, false, 1, 3, 2, 1, ISID, 0, 1, 0, 1, 0,
                text("InitiatorName=iqn.i|TargetName=" + TARGET + "|"));
        assertStatus(LoginStatus.UNSUPPORTED_VERSION, login.onRequest(r));
    }

    @Test
    void transitAndContinueTogetherIsAnInitiatorError() {
        assertStatus(LoginStatus.INITIATOR_ERROR, login.onRequest(req(true, true, 1, 3, "InitiatorName=iqn.i|")));
    }

    @Test
    void nextStageBackwardsIsAnInitiatorError() {
        login.onRequest(req(true, false, 0, 1, "InitiatorName=iqn.i|TargetName=" + TARGET + "|AuthMethod=None|"));
        assertStatus(LoginStatus.INITIATOR_ERROR, login.onRequest(req(true, false, 1, 0, "")));
    }

    @Test
    void wrongCurrentStageIsAnInitiatorError() {
        login.onRequest(req(false, false, 0, 0, "InitiatorName=iqn.i|TargetName=" + TARGET + "|AuthMethod=None|"));
        assertStatus(LoginStatus.INITIATOR_ERROR, login.onRequest(req(true, false, 1, 3, "")));
    }

    @Test
    void textSplitAcrossPdusWithTheContinueBitIsGatheredFirst() {
        LoginStep partial = login.onRequest(req(false, true, 1, 0, "InitiatorName=iq"));
        assertEquals(LoginStep.Next.CONTINUE, partial.next());
        assertEquals(0, partial.response().data().length);
        LoginStep done = login.onRequest(req(true, false, 1, 3, "n.i|TargetName=" + TARGET + "|"));
        assertEquals(LoginStep.Next.FULL_FEATURE, done.next());
        assertEquals("iqn.i", admitted.get(0).initiatorName());
    }

    @Test
    void unknownKeysAreAnsweredNotUnderstood() {
        LoginStep s = login.onRequest(req(false, false, 1, 0,
                "InitiatorName=iqn.i|TargetName=" + TARGET + "|X-com.example.Thing=1|"));
        assertTrue(body(s.response()).contains("X-com.example.Thing=NotUnderstood|"));
    }

    @Test
    void refusedAdmissionEndsTheLoginWithItsStatus() {
        refuseWith = LoginStatus.TOO_MANY_CONNECTIONS;
        assertStatus(LoginStatus.TOO_MANY_CONNECTIONS,
                login.onRequest(req(true, false, 1, 3, "InitiatorName=iqn.i|TargetName=" + TARGET + "|")));
    }

    @Test
    void unacceptableAuthMethodIsAnAuthenticationFailure() {
        assertStatus(LoginStatus.AUTHENTICATION_FAILURE, login.onRequest(req(true, false, 0, 1,
                "InitiatorName=iqn.i|TargetName=" + TARGET + "|AuthMethod=CHAP|")));
    }

    @Test
    void malformedTextIsAnInitiatorError() {
        assertStatus(LoginStatus.INITIATOR_ERROR, login.onRequest(req(true, false, 1, 3, "garbage|")));
    }

    @Test
    void requestAfterTheLoginEndedIsInvalidDuringLogin() {
        LoginStep done = login.onRequest(req(true, false, 1, 3, "InitiatorName=iqn.i|TargetName=" + TARGET + "|"));
        assertNotNull(done.parameters());
        assertStatus(LoginStatus.INVALID_DURING_LOGIN, login.onRequest(req(true, false, 1, 3, "")));
    }

    @Test
    void skippingTheSecurityStageFailsWhenAuthenticationIsRequired() {
        Authenticator chapOnly = new Authenticator() {
            @Override
            public String methods() {
                return "CHAP";
            }

            @Override
            public Step exchange(String method, LoginIdentity identity, List<org.remaptarget.target.text.KeyValue> k) {
                return new Step(List.of(), false, true);
            }
        };
        LoginStateMachine strict = new LoginStateMachine(env, new LoginConfig(Map.of(), 1, 128, 65536, chapOnly));
        assertStatus(LoginStatus.AUTHENTICATION_FAILURE,
                strict.onRequest(req(true, false, 1, 3, "InitiatorName=iqn.i|TargetName=" + TARGET + "|")));
    }

    @Test
    void securityStageMayLeadStraightToFullFeatureWithOurSegmentLengthDeclared() {
        LoginStep s = login.onRequest(req(true, false, 0, 3,
                "InitiatorName=iqn.i|TargetName=" + TARGET + "|AuthMethod=None|"));
        assertEquals(LoginStep.Next.FULL_FEATURE, s.next());
        assertTrue(body(s.response()).contains("MaxRecvDataSegmentLength=262144|"));
        assertEquals(8192, s.parameters().initiatorMaxRecvDataSegmentLength(), "RFC default for the initiator");
        assertTrue(s.parameters().initialR2T(), "RFC default when never negotiated");
    }
}
