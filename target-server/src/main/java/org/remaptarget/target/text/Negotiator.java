package org.remaptarget.target.text;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.remaptarget.target.text.KeyDefinition.Phase;

/**
 * Computes the target's answer to each offered key (RFC 7143 §6.2, §13) and records the agreed values. One
 * instance per login (per connection); not thread-safe.
 *
 * <p>{@code targetValues} holds, per key, what this target supports: its limit for Min/Max keys, its preference
 * for boolean keys, its acceptable values (preference order, comma separated) for list keys, and its own
 * declaration for MaxRecvDataSegmentLength.
 */
public final class Negotiator {
    private final KeyTable table;
    private final Map<String, String> targetValues;
    private final Map<String, String> agreed = new LinkedHashMap<>();

    /** What to do with one offered key. */
    public record Answer(String response, String violation) {
        static Answer respond(String v) {
            return new Answer(v, null);
        }

        static final Answer NONE = new Answer(null, null);

        /** The login must fail with an initiator error: {@code violation} names the rule. */
        public boolean fatal() {
            return violation != null;
        }
    }

    public Negotiator(KeyTable table, Map<String, String> targetValues) {
        this.table = table;
        this.targetValues = Map.copyOf(targetValues);
    }

    /**
     * Answers one offered key.
     *
     * @param offer     the initiator's key=value
     * @param stage     the login stage it arrived in (SECURITY or OPERATIONAL), or FULL_FEATURE for Text Requests
     * @param discovery whether this is a discovery session
     */
    public Answer answer(KeyValue offer, Phase stage, boolean discovery) {
        String key = offer.key();
        String value = offer.value();
        KeyDefinition def = table.lookup(key).orElse(null);
        if (def == null) {
            return Answer.respond(KeyValue.NOT_UNDERSTOOD);
        }
        // A key offered again (RFC 7143 §6.2 forbids it) is simply answered again: strictness here has broken
        // real initiators and costs nothing to tolerate, as the last answer is what both sides record.
        if (def.phase() == Phase.SECURITY && stage != Phase.SECURITY) {
            return new Answer(null, "RFC 7143 §6.3: security key " + key + " outside the security stage");
        }
        if (def.phase() == Phase.FULL_FEATURE && stage != Phase.FULL_FEATURE) {
            return Answer.respond(KeyValue.IRRELEVANT);
        }
        if (def.phase() != Phase.FULL_FEATURE && stage == Phase.FULL_FEATURE) {
            return Answer.respond(KeyValue.REJECT); // ERL 0 target: no renegotiation in full feature phase
        }
        if (discovery && def.normalOnly()) {
            agreed.put(key, KeyValue.IRRELEVANT);
            return Answer.respond(KeyValue.IRRELEVANT);
        }
        if (key.equals(KeyTable.OF_MARK_INT) || key.equals(KeyTable.IF_MARK_INT)) {
            return Answer.respond(KeyValue.IRRELEVANT); // markers are always No here
        }
        if (key.equals(KeyTable.FIRST_BURST_LENGTH) && "No".equals(agreed.get(KeyTable.IMMEDIATE_DATA))
                && "Yes".equals(agreed.get(KeyTable.INITIAL_R2T))) {
            return Answer.respond(KeyValue.IRRELEVANT);
        }
        return switch (def.function()) {
            case DECLARATIVE -> {
                agreed.put(key, value);
                yield Answer.NONE;
            }
            case NUMERIC_DECLARATIVE -> {
                long v = def.parseNumber(value);
                if (v < 0) {
                    yield Answer.respond(KeyValue.REJECT);
                }
                agreed.put(key, Long.toString(v));
                String ours = targetValues.get(key);
                yield ours == null ? Answer.NONE : Answer.respond(ours);
            }
            case MIN, MAX -> numeric(def, value);
            case AND, OR -> bool(def, value);
            case LIST -> list(def, value);
        };
    }

    private Answer numeric(KeyDefinition def, String value) {
        long offered = def.parseNumber(value);
        if (offered < 0) {
            return Answer.respond(KeyValue.REJECT);
        }
        long ours = number(def.name(), def);
        long result = def.function() == KeyDefinition.ResultFunction.MIN ? Math.min(offered, ours)
                : Math.max(offered, ours);
        if (def.name().equals(KeyTable.FIRST_BURST_LENGTH)) {
            result = Math.min(result, number(KeyTable.MAX_BURST_LENGTH, table.lookup(KeyTable.MAX_BURST_LENGTH)
                    .orElseThrow()));
            String mbl = agreed.get(KeyTable.MAX_BURST_LENGTH);
            if (mbl != null) {
                result = Math.min(result, Long.parseLong(mbl));
            }
        }
        agreed.put(def.name(), Long.toString(result));
        return Answer.respond(Long.toString(result));
    }

    private long number(String key, KeyDefinition def) {
        String v = targetValues.getOrDefault(key, def.defaultValue());
        return def.parseNumber(v);
    }

    private Answer bool(KeyDefinition def, String value) {
        if (!value.equals("Yes") && !value.equals("No")) {
            return Answer.respond(KeyValue.REJECT);
        }
        boolean offered = value.equals("Yes");
        boolean ours = "Yes".equals(targetValues.getOrDefault(def.name(), def.defaultValue()));
        boolean result = def.function() == KeyDefinition.ResultFunction.AND ? offered && ours : offered || ours;
        String r = result ? "Yes" : "No";
        agreed.put(def.name(), r);
        return Answer.respond(r);
    }

    private Answer list(KeyDefinition def, String value) {
        List<String> supported = KeyDefinition.listValues(targetValues.getOrDefault(def.name(), def.defaultValue()));
        for (String offered : KeyDefinition.listValues(value)) {
            if (supported.contains(offered)) {
                agreed.put(def.name(), offered);
                return Answer.respond(offered);
            }
        }
        agreed.put(def.name(), KeyValue.REJECT);
        return Answer.respond(KeyValue.REJECT);
    }

    /** The agreed value of a key, or its RFC default when it was never negotiated. */
    public String value(String key) {
        String v = agreed.get(key);
        if (v == null || v.equals(KeyValue.IRRELEVANT) || v.equals(KeyValue.REJECT)) {
            return table.defaultValue(key);
        }
        return v;
    }

    public boolean wasOffered(String key) {
        return agreed.containsKey(key);
    }

    /** Every value agreed or declared so far (read-only copy). */
    public Map<String, String> agreedValues() {
        return Map.copyOf(agreed);
    }

    /** Answers a whole list of offers; stops at the first fatal violation (returned as the single answer). */
    public List<KeyValue> answerAll(List<KeyValue> offers, Phase stage, boolean discovery, List<String> violations) {
        List<KeyValue> out = new ArrayList<>();
        for (KeyValue kv : offers) {
            Answer a = answer(kv, stage, discovery);
            if (a.fatal()) {
                violations.add(a.violation());
                return out;
            }
            if (a.response() != null) {
                out.add(new KeyValue(kv.key(), a.response()));
            }
        }
        return out;
    }
}
