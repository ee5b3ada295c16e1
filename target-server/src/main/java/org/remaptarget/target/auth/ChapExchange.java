package org.remaptarget.target.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

import org.remaptarget.target.login.Authenticator.Step;
import org.remaptarget.target.text.KeyValue;

/**
 * The target side of one CHAP exchange (RFC 7143 §12.1.3, RFC 1994), one-way or mutual. States: waiting for
 * CHAP_A → challenge sent, waiting for CHAP_N/CHAP_R (and the initiator's CHAP_I/CHAP_C when mutual) → done, or
 * failed. Every failure is the same {@code failed} step: nothing tells the initiator which part was wrong.
 *
 * <p>Invariants: the challenge comes from the SecureRandom given; responses are compared in constant time and
 * the user name check does not short-circuit the response check; an initiator challenge equal to ours (a
 * reflection) fails. One instance per login; not thread-safe (the connection's reader thread drives it).
 */
public final class ChapExchange {
    private enum State { EXPECT_ALGORITHM, EXPECT_RESPONSE, DONE, FAILED }

    private final ChapSecret initiatorCredential;
    private final ChapSecret targetCredential;
    private final List<ChapAlgorithm> preference;
    private final SecureRandom random;
    private State state = State.EXPECT_ALGORITHM;
    private ChapAlgorithm algorithm;
    private int identifier;
    private byte[] challenge;

    /**
     * @param initiatorCredential what the initiator must prove it knows
     * @param targetCredential    the target's credential for mutual CHAP, or null (then a mutual request fails)
     * @param preference          the algorithms the target accepts, most preferred first
     * @param random              the challenge source
     */
    public ChapExchange(ChapSecret initiatorCredential, ChapSecret targetCredential, List<ChapAlgorithm> preference,
                        SecureRandom random) {
        this.initiatorCredential = initiatorCredential;
        this.targetCredential = targetCredential;
        this.preference = List.copyOf(preference);
        this.random = random;
    }

    /** The algorithm agreed, or null before CHAP_A. */
    public ChapAlgorithm algorithm() {
        return algorithm;
    }

    public Step step(List<KeyValue> keys) {
        return switch (state) {
            case EXPECT_ALGORITHM -> offerChallenge(keys);
            case EXPECT_RESPONSE -> verify(keys);
            case DONE -> keys.isEmpty() ? new Step(List.of(), true, false) : fail();
            case FAILED -> fail();
        };
    }

    private Step offerChallenge(List<KeyValue> keys) {
        if (keys.isEmpty()) {
            return new Step(List.of(), false, false); // AuthMethod agreed; CHAP_A comes next
        }
        if (keys.size() != 1 || !keys.get(0).key().equals("CHAP_A")) {
            return fail();
        }
        List<Integer> offered = new ArrayList<>();
        for (String v : keys.get(0).value().split(",", -1)) {
            try {
                offered.add(Integer.parseInt(v.trim()));
            } catch (NumberFormatException e) {
                // not a number: RFC 7143 lets the target ignore values it does not understand
            }
        }
        for (ChapAlgorithm a : preference) {
            if (offered.contains(a.code())) {
                algorithm = a;
                break;
            }
        }
        if (algorithm == null) {
            state = State.FAILED;
            return new Step(List.of(new KeyValue("CHAP_A", KeyValue.REJECT)), false, true);
        }
        identifier = random.nextInt(256);
        challenge = new byte[algorithm.challengeLength()];
        random.nextBytes(challenge);
        state = State.EXPECT_RESPONSE;
        return new Step(List.of(new KeyValue("CHAP_A", Integer.toString(algorithm.code())),
                new KeyValue("CHAP_I", Integer.toString(identifier)),
                new KeyValue("CHAP_C", ChapBinary.hex(challenge))), false, false);
    }

    private Step verify(List<KeyValue> keys) {
        String name = null;
        String response = null;
        String peerId = null;
        String peerChallenge = null;
        for (KeyValue kv : keys) {
            switch (kv.key()) {
                case "CHAP_N" -> name = kv.value();
                case "CHAP_R" -> response = kv.value();
                case "CHAP_I" -> peerId = kv.value();
                case "CHAP_C" -> peerChallenge = kv.value();
                default -> {
                    return fail();
                }
            }
        }
        byte[] got = ChapBinary.decode(response);
        if (name == null || got == null) {
            return fail();
        }
        byte[] expected = algorithm.response(identifier, initiatorCredential.secretBytes(), challenge);
        boolean userOk = MessageDigest.isEqual(initiatorCredential.user().getBytes(StandardCharsets.UTF_8),
                name.getBytes(StandardCharsets.UTF_8));
        boolean responseOk = MessageDigest.isEqual(expected, got);
        if (!(userOk & responseOk)) {
            return fail();
        }
        if (peerId == null && peerChallenge == null) {
            if (targetCredential != null) {
                return fail(); // mutual CHAP configured: the initiator must authenticate the target
            }
            state = State.DONE;
            return new Step(List.of(), true, false);
        }
        if (peerId == null || peerChallenge == null || targetCredential == null) {
            return fail();
        }
        int id;
        try {
            id = Integer.parseInt(peerId.trim());
        } catch (NumberFormatException e) {
            return fail();
        }
        byte[] theirChallenge = ChapBinary.decode(peerChallenge);
        if (id < 0 || id > 255 || theirChallenge == null || MessageDigest.isEqual(theirChallenge, challenge)) {
            return fail(); // malformed, or our own challenge reflected back
        }
        byte[] answer = algorithm.response(id, targetCredential.secretBytes(), theirChallenge);
        state = State.DONE;
        return new Step(List.of(new KeyValue("CHAP_N", targetCredential.user()),
                new KeyValue("CHAP_R", ChapBinary.hex(answer))), true, false);
    }

    private Step fail() {
        state = State.FAILED;
        return new Step(List.of(), false, true);
    }
}
