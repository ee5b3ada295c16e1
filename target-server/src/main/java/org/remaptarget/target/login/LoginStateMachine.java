package org.remaptarget.target.login;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.remaptarget.target.pdu.LoginRequestPdu;
import org.remaptarget.target.pdu.LoginResponsePdu;
import org.remaptarget.target.pdu.Pdu;
import org.remaptarget.target.text.KeyDefinition;
import org.remaptarget.target.text.KeyDefinition.Phase;
import org.remaptarget.target.text.KeyTable;
import org.remaptarget.target.text.KeyValue;
import org.remaptarget.target.text.Negotiator;
import org.remaptarget.target.text.TextCodec;
import org.remaptarget.target.text.TextParseResult;

/**
 * The login phase of one connection (RFC 7143 §6.3, §11.12-13): security stage → operational stage → full
 * feature phase, CSG/NSG and T/C bits, partial text across PDUs, key negotiation and the status of a refused
 * login. Owns the connection's {@link Negotiator}. Not thread-safe: driven by the connection's reader thread.
 *
 * <p>Invariants: once a step returned CLOSE or FULL_FEATURE, further requests are refused; every response echoes
 * the request's ISID and ITT; the TSIH is the initiator's except in the final response of a new session.
 */
public final class LoginStateMachine {
    private static final int STAGE_SECURITY = 0;
    private static final int STAGE_OPERATIONAL = 1;
    private static final int STAGE_FULL_FEATURE = 3;

    private final LoginEnvironment env;
    private final LoginConfig config;
    private Negotiator negotiator;
    private final TextCodec codec;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    private boolean started;
    private boolean finished;
    private int stage;
    private long isid;
    private int tsih;
    private int cid;
    private LoginIdentity identity;
    private String targetAlias = "";
    private boolean declaredPortalGroup;
    private boolean declaredMrdsl;
    private boolean authDone;
    private boolean authInProgress;
    private String authMethod;

    public LoginStateMachine(LoginEnvironment env, LoginConfig config) {
        this.env = env;
        this.config = config;
        Map<String, String> ours = new HashMap<>(config.targetKeyValues());
        ours.put(KeyTable.AUTH_METHOD, config.authenticator().methods());
        this.negotiator = new Negotiator(KeyTable.standard(), ours);
        this.codec = new TextCodec(TextCodec.DEFAULT_MAX_VALUE, config.maxLoginTextLength());
    }

    /** The identity established by the first request, or null before it. */
    public LoginIdentity identity() {
        return identity;
    }

    public LoginStep onRequest(LoginRequestPdu req) {
        if (finished) {
            return fail(req, LoginStatus.INVALID_DURING_LOGIN, "login request after the login ended");
        }
        if (!started) {
            if (req.versionMin() > 0) {
                return fail(req, LoginStatus.UNSUPPORTED_VERSION, "RFC 7143 §11.12.4: VersionMin "
                        + req.versionMin() + " > 0");
            }
            if (req.currentStage() != STAGE_SECURITY && req.currentStage() != STAGE_OPERATIONAL) {
                return fail(req, LoginStatus.INITIATOR_ERROR, "RFC 7143 §6.3: first CSG must be 0 or 1");
            }
            started = true;
            stage = req.currentStage();
            isid = req.isid();
            tsih = req.tsih();
            cid = req.cid();
        } else if (req.isid() != isid || req.tsih() != tsih || req.cid() != cid) {
            return fail(req, LoginStatus.INITIATOR_ERROR, "RFC 7143 §6.3: ISID/TSIH/CID changed during login");
        }
        if (req.transit() && req.continueFlag()) {
            return fail(req, LoginStatus.INITIATOR_ERROR, "RFC 7143 §11.12.2: T and C both set");
        }
        if (req.currentStage() != stage) {
            return fail(req, LoginStatus.INITIATOR_ERROR, "RFC 7143 §6.3: CSG " + req.currentStage()
                    + " while in stage " + stage);
        }
        if (req.transit() && (req.nextStage() <= stage || req.nextStage() == 2)) {
            return fail(req, LoginStatus.INITIATOR_ERROR, "RFC 7143 §11.12.3: invalid NSG " + req.nextStage());
        }
        partial.write(req.data(), 0, req.data().length);
        if (partial.size() > config.maxLoginTextLength()) {
            return fail(req, LoginStatus.OUT_OF_RESOURCES, "login text exceeds " + config.maxLoginTextLength());
        }
        if (req.continueFlag()) {
            return step(response(req, false, 0, Pdu.NO_BYTES, req.tsih()), LoginStep.Next.CONTINUE, null, null);
        }
        byte[] text = partial.toByteArray();
        partial.reset();
        TextParseResult parsed = codec.parse(text);
        if (parsed instanceof TextParseResult.Malformed m) {
            return fail(req, LoginStatus.INITIATOR_ERROR, m.rule());
        }
        List<KeyValue> keys = ((TextParseResult.Parsed) parsed).pairs();
        List<KeyValue> out = new ArrayList<>();
        if (identity == null) {
            LoginStep refused = establishIdentity(req, keys, out);
            if (refused != null) {
                return refused;
            }
            LoginStatus verdict = config.authenticator().authorize(identity);
            if (verdict != LoginStatus.SUCCESS) {
                return fail(req, verdict, "initiator not authorized for this target");
            }
            String methods = config.authenticator().methods(identity);
            if (stage == STAGE_OPERATIONAL && !KeyDefinition.listValues(methods).contains("None")) {
                return fail(req, LoginStatus.AUTHENTICATION_FAILURE, "security stage skipped but authentication"
                        + " is required");
            }
            if (!methods.equals(config.authenticator().methods())) {
                Map<String, String> ours = new HashMap<>(config.targetKeyValues());
                ours.put(KeyTable.AUTH_METHOD, methods);
                negotiator = new Negotiator(KeyTable.standard(), ours);
            }
        }
        List<KeyValue> securityKeys = new ArrayList<>();
        List<KeyValue> offers = new ArrayList<>();
        for (KeyValue kv : keys) {
            (kv.key().startsWith("CHAP_") ? securityKeys : offers).add(kv);
        }
        List<String> violations = new ArrayList<>();
        Phase phase = stage == STAGE_SECURITY ? Phase.SECURITY : Phase.OPERATIONAL;
        out.addAll(negotiator.answerAll(offers, phase, identity.discovery(), violations));
        if (!violations.isEmpty()) {
            return fail(req, LoginStatus.INITIATOR_ERROR, violations.get(0));
        }
        if (stage == STAGE_SECURITY) {
            LoginStep authFailure = authenticate(req, securityKeys, out);
            if (authFailure != null) {
                return authFailure;
            }
        } else if (!securityKeys.isEmpty()) {
            return fail(req, LoginStatus.INITIATOR_ERROR, "RFC 7143 §6.3: security keys in operational stage");
        }
        if (!req.transit() || (stage == STAGE_SECURITY && !authDone && authInProgress)) {
            // RFC 7143 §11.13.3: the target answers T=0 while it still needs an exchange (CHAP) in this stage
            return step(response(req, false, 0, TextCodec.encode(out), req.tsih()), LoginStep.Next.CONTINUE, null,
                    null);
        }
        if (stage == STAGE_SECURITY && !authDone) {
            return fail(req, LoginStatus.AUTHENTICATION_FAILURE, "security stage left before authentication");
        }
        int next = req.nextStage();
        if (next != STAGE_FULL_FEATURE) {
            stage = next;
            return step(response(req, true, next, TextCodec.encode(out), req.tsih()), LoginStep.Next.CONTINUE,
                    null, null);
        }
        if (!declaredMrdsl) {
            out.add(new KeyValue(KeyTable.MAX_RECV_DATA_SEGMENT_LENGTH,
                    config.targetKeyValues().getOrDefault(KeyTable.MAX_RECV_DATA_SEGMENT_LENGTH, "8192")));
        }
        NegotiatedParameters params = NegotiatedParameters.from(negotiator, config.targetKeyValues(),
                identity.discovery(), identity.initiatorName(), identity.initiatorAlias(), identity.targetName());
        Admission admission = env.admit(identity, params);
        if (admission.status() != LoginStatus.SUCCESS) {
            return fail(req, admission.status(), "session admission refused: " + admission.status());
        }
        finished = true;
        return step(response(req, true, STAGE_FULL_FEATURE, TextCodec.encode(out), admission.tsih()),
                LoginStep.Next.FULL_FEATURE, params, null);
    }

    private LoginStep establishIdentity(LoginRequestPdu req, List<KeyValue> keys, List<KeyValue> out) {
        String initiatorName = find(keys, KeyTable.INITIATOR_NAME);
        String initiatorAlias = find(keys, KeyTable.INITIATOR_ALIAS);
        String sessionType = Optional.ofNullable(find(keys, KeyTable.SESSION_TYPE)).orElse("Normal");
        String targetName = find(keys, KeyTable.TARGET_NAME);
        if (initiatorName == null || initiatorName.isEmpty()) {
            return fail(req, LoginStatus.MISSING_PARAMETER, "RFC 7143 §13.6: InitiatorName missing");
        }
        if (!sessionType.equals("Normal") && !sessionType.equals("Discovery")) {
            return fail(req, LoginStatus.SESSION_TYPE_NOT_SUPPORTED, "SessionType=" + sessionType);
        }
        boolean discovery = sessionType.equals("Discovery");
        if (!discovery) {
            if (targetName == null || targetName.isEmpty()) {
                return fail(req, LoginStatus.MISSING_PARAMETER, "RFC 7143 §13.4: TargetName missing");
            }
            Optional<String> alias = env.targetAlias(targetName);
            if (alias.isEmpty()) {
                return fail(req, LoginStatus.TARGET_NOT_FOUND, "no target " + targetName);
            }
            targetAlias = alias.get();
        }
        if (discovery && tsih != 0) {
            return fail(req, LoginStatus.SESSION_DOES_NOT_EXIST, "discovery sessions have one connection");
        }
        identity = new LoginIdentity(initiatorName, initiatorAlias, isid, tsih, cid, discovery ? null : targetName,
                discovery);
        if (!discovery && !declaredPortalGroup) {
            declaredPortalGroup = true;
            out.add(new KeyValue(KeyTable.TARGET_PORTAL_GROUP_TAG, Integer.toString(config.portalGroupTag())));
            if (!targetAlias.isEmpty()) {
                out.add(new KeyValue(KeyTable.TARGET_ALIAS, targetAlias));
            }
        }
        return null;
    }

    private LoginStep authenticate(LoginRequestPdu req, List<KeyValue> securityKeys, List<KeyValue> out) {
        String agreed = negotiator.wasOffered(KeyTable.AUTH_METHOD)
                ? negotiator.agreedValues().get(KeyTable.AUTH_METHOD) : null;
        if (agreed == null) {
            // not offered (yet): only acceptable when no authentication is required
            if (KeyDefinition.listValues(config.authenticator().methods(identity)).contains("None")
                    && securityKeys.isEmpty()) {
                authDone = true;
                authMethod = "None";
                return null;
            }
            if (!securityKeys.isEmpty()) {
                return fail(req, LoginStatus.INITIATOR_ERROR, "CHAP keys before AuthMethod was agreed");
            }
            return null;
        }
        if (KeyValue.REJECT.equals(agreed)) {
            return fail(req, LoginStatus.AUTHENTICATION_FAILURE, "no acceptable AuthMethod");
        }
        authMethod = agreed;
        Authenticator.Step s = config.authenticator().exchange(agreed, identity, securityKeys);
        if (s.failed()) {
            return fail(req, LoginStatus.AUTHENTICATION_FAILURE, "authentication failed (" + agreed + ")");
        }
        out.addAll(s.response());
        authDone = s.done();
        authInProgress = !s.done();
        return null;
    }

    /** The agreed AuthMethod (null before the security stage ended). */
    public String authMethod() {
        return authMethod;
    }

    private static String find(List<KeyValue> keys, String name) {
        for (KeyValue kv : keys) {
            if (kv.key().equals(name)) {
                return kv.value();
            }
        }
        return null;
    }

    private LoginResponsePdu response(LoginRequestPdu req, boolean transit, int nextStage, byte[] data,
                                      int responseTsih) {
        if (data.length > 0 && new String(data, java.nio.charset.StandardCharsets.UTF_8)
                .contains(KeyTable.MAX_RECV_DATA_SEGMENT_LENGTH + "=")) {
            declaredMrdsl = true;
        }
        int window = transit && nextStage == STAGE_FULL_FEATURE ? config.commandWindow() : 1;
        return new LoginResponsePdu(transit, false, req.currentStage(), transit ? nextStage : 0, 0, 0, isid,
                responseTsih, req.initiatorTaskTag(), 0, req.cmdSN(), req.cmdSN() + window - 1, 0, 0, data);
    }

    private LoginStep fail(LoginRequestPdu req, LoginStatus status, String reason) {
        finished = true;
        return new LoginStep(refusal(req.isid(), req.tsih(), req.initiatorTaskTag(), req.cmdSN(), status),
                LoginStep.Next.CLOSE, null, reason);
    }

    /** A final Login Response refusing a login with {@code status} (the connection closes after it). */
    public static LoginResponsePdu refusal(long isid, int tsih, int itt, int cmdSN, LoginStatus status) {
        return new LoginResponsePdu(false, false, 0, 0, 0, 0, isid, tsih, itt, 0, cmdSN, cmdSN,
                status.statusClass(), status.detail(), Pdu.NO_BYTES);
    }

    private static LoginStep step(LoginResponsePdu r, LoginStep.Next next, NegotiatedParameters p, String reason) {
        return new LoginStep(r, next, p, reason);
    }
}
