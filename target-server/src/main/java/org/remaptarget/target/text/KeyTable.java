package org.remaptarget.target.text;

import static org.remaptarget.target.text.KeyDefinition.Phase.FULL_FEATURE;
import static org.remaptarget.target.text.KeyDefinition.Phase.LOGIN_ANY;
import static org.remaptarget.target.text.KeyDefinition.Phase.OPERATIONAL;
import static org.remaptarget.target.text.KeyDefinition.Phase.SECURITY;
import static org.remaptarget.target.text.KeyDefinition.ResultFunction.AND;
import static org.remaptarget.target.text.KeyDefinition.ResultFunction.DECLARATIVE;
import static org.remaptarget.target.text.KeyDefinition.ResultFunction.LIST;
import static org.remaptarget.target.text.KeyDefinition.ResultFunction.MAX;
import static org.remaptarget.target.text.KeyDefinition.ResultFunction.MIN;
import static org.remaptarget.target.text.KeyDefinition.ResultFunction.NUMERIC_DECLARATIVE;
import static org.remaptarget.target.text.KeyDefinition.ResultFunction.OR;
import static org.remaptarget.target.text.KeyDefinition.Scope.CONNECTION;
import static org.remaptarget.target.text.KeyDefinition.Scope.SESSION;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The keys this target knows, with their RFC 7143 §13 rules and defaults (markers from RFC 3720 are kept so old
 * initiators get a clean "No"). Immutable.
 */
public final class KeyTable {
    public static final String HEADER_DIGEST = "HeaderDigest";
    public static final String DATA_DIGEST = "DataDigest";
    public static final String MAX_CONNECTIONS = "MaxConnections";
    public static final String SEND_TARGETS = "SendTargets";
    public static final String TARGET_NAME = "TargetName";
    public static final String INITIATOR_NAME = "InitiatorName";
    public static final String TARGET_ALIAS = "TargetAlias";
    public static final String INITIATOR_ALIAS = "InitiatorAlias";
    public static final String TARGET_ADDRESS = "TargetAddress";
    public static final String TARGET_PORTAL_GROUP_TAG = "TargetPortalGroupTag";
    public static final String INITIAL_R2T = "InitialR2T";
    public static final String IMMEDIATE_DATA = "ImmediateData";
    public static final String MAX_RECV_DATA_SEGMENT_LENGTH = "MaxRecvDataSegmentLength";
    public static final String MAX_BURST_LENGTH = "MaxBurstLength";
    public static final String FIRST_BURST_LENGTH = "FirstBurstLength";
    public static final String DEFAULT_TIME2WAIT = "DefaultTime2Wait";
    public static final String DEFAULT_TIME2RETAIN = "DefaultTime2Retain";
    public static final String MAX_OUTSTANDING_R2T = "MaxOutstandingR2T";
    public static final String DATA_PDU_IN_ORDER = "DataPDUInOrder";
    public static final String DATA_SEQUENCE_IN_ORDER = "DataSequenceInOrder";
    public static final String ERROR_RECOVERY_LEVEL = "ErrorRecoveryLevel";
    public static final String SESSION_TYPE = "SessionType";
    public static final String AUTH_METHOD = "AuthMethod";
    public static final String OF_MARKER = "OFMarker";
    public static final String IF_MARKER = "IFMarker";
    public static final String OF_MARK_INT = "OFMarkInt";
    public static final String IF_MARK_INT = "IFMarkInt";
    public static final String TASK_REPORTING = "TaskReporting";
    public static final String PROTOCOL_LEVEL = "iSCSIProtocolLevel";

    private static final long MAX_24 = 16_777_215L;

    private final Map<String, KeyDefinition> keys;

    private KeyTable(Map<String, KeyDefinition> keys) {
        this.keys = Map.copyOf(keys);
    }

    public static KeyTable standard() {
        Map<String, KeyDefinition> m = new LinkedHashMap<>();
        add(m, HEADER_DIGEST, LOGIN_ANY, CONNECTION, false, LIST, 0, 0, "None", false);
        add(m, DATA_DIGEST, LOGIN_ANY, CONNECTION, false, LIST, 0, 0, "None", false);
        add(m, MAX_CONNECTIONS, LOGIN_ANY, SESSION, true, MIN, 1, 65535, "1", true);
        add(m, SEND_TARGETS, FULL_FEATURE, SESSION, false, DECLARATIVE, 0, 0, null, false);
        add(m, TARGET_NAME, LOGIN_ANY, SESSION, false, DECLARATIVE, 0, 0, null, false);
        add(m, INITIATOR_NAME, LOGIN_ANY, SESSION, false, DECLARATIVE, 0, 0, null, false);
        add(m, TARGET_ALIAS, LOGIN_ANY, SESSION, false, DECLARATIVE, 0, 0, null, false);
        add(m, INITIATOR_ALIAS, LOGIN_ANY, SESSION, false, DECLARATIVE, 0, 0, null, false);
        add(m, TARGET_ADDRESS, LOGIN_ANY, SESSION, false, DECLARATIVE, 0, 0, null, false);
        add(m, TARGET_PORTAL_GROUP_TAG, LOGIN_ANY, SESSION, false, NUMERIC_DECLARATIVE, 0, 65535, null, false);
        add(m, INITIAL_R2T, LOGIN_ANY, SESSION, true, OR, 0, 0, "Yes", true);
        add(m, IMMEDIATE_DATA, LOGIN_ANY, SESSION, true, AND, 0, 0, "Yes", true);
        add(m, MAX_RECV_DATA_SEGMENT_LENGTH, LOGIN_ANY, CONNECTION, false, NUMERIC_DECLARATIVE, 512, MAX_24,
                "8192", false);
        add(m, MAX_BURST_LENGTH, LOGIN_ANY, SESSION, true, MIN, 512, MAX_24, "262144", true);
        add(m, FIRST_BURST_LENGTH, LOGIN_ANY, SESSION, true, MIN, 512, MAX_24, "65536", true);
        add(m, DEFAULT_TIME2WAIT, LOGIN_ANY, SESSION, true, MAX, 0, 3600, "2", false);
        add(m, DEFAULT_TIME2RETAIN, LOGIN_ANY, SESSION, true, MIN, 0, 3600, "20", false);
        add(m, MAX_OUTSTANDING_R2T, LOGIN_ANY, SESSION, true, MIN, 1, 65535, "1", true);
        add(m, DATA_PDU_IN_ORDER, LOGIN_ANY, SESSION, true, OR, 0, 0, "Yes", true);
        add(m, DATA_SEQUENCE_IN_ORDER, LOGIN_ANY, SESSION, true, OR, 0, 0, "Yes", true);
        add(m, ERROR_RECOVERY_LEVEL, LOGIN_ANY, SESSION, true, MIN, 0, 2, "0", false);
        add(m, SESSION_TYPE, LOGIN_ANY, SESSION, true, DECLARATIVE, 0, 0, "Normal", false);
        add(m, AUTH_METHOD, SECURITY, CONNECTION, false, LIST, 0, 0, "None", false);
        add(m, OF_MARKER, OPERATIONAL, CONNECTION, false, AND, 0, 0, "No", false);
        add(m, IF_MARKER, OPERATIONAL, CONNECTION, false, AND, 0, 0, "No", false);
        add(m, OF_MARK_INT, OPERATIONAL, CONNECTION, false, DECLARATIVE, 0, 0, null, false);
        add(m, IF_MARK_INT, OPERATIONAL, CONNECTION, false, DECLARATIVE, 0, 0, null, false);
        add(m, TASK_REPORTING, LOGIN_ANY, SESSION, true, LIST, 0, 0, "RFC3720", true);
        add(m, PROTOCOL_LEVEL, LOGIN_ANY, SESSION, true, MIN, 0, 31, "0", false);
        return new KeyTable(m);
    }

    private static void add(Map<String, KeyDefinition> m, String name, KeyDefinition.Phase phase,
                            KeyDefinition.Scope scope, boolean lo, KeyDefinition.ResultFunction f, long min, long max,
                            String def, boolean normalOnly) {
        m.put(name, new KeyDefinition(name, phase, scope, lo, f, min, max, def, normalOnly));
    }

    public Optional<KeyDefinition> lookup(String key) {
        return Optional.ofNullable(keys.get(key));
    }

    /** The RFC default of a key (null when it has none). */
    public String defaultValue(String key) {
        KeyDefinition d = keys.get(key);
        return d == null ? null : d.defaultValue();
    }
}
