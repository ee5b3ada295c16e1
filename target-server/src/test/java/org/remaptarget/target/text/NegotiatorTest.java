package org.remaptarget.target.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.remaptarget.target.text.KeyDefinition.Phase;

class NegotiatorTest {
    private static final Map<String, String> OURS = Map.of(
            KeyTable.MAX_BURST_LENGTH, "262144",
            KeyTable.FIRST_BURST_LENGTH, "65536",
            KeyTable.INITIAL_R2T, "No",
            KeyTable.IMMEDIATE_DATA, "Yes",
            KeyTable.HEADER_DIGEST, "None,CRC32C",
            KeyTable.MAX_RECV_DATA_SEGMENT_LENGTH, "262144",
            KeyTable.DEFAULT_TIME2WAIT, "2",
            KeyTable.ERROR_RECOVERY_LEVEL, "0",
            KeyTable.MAX_CONNECTIONS, "1");

    private final Negotiator n = new Negotiator(KeyTable.standard(), OURS);

    private String answer(String key, String value) {
        return n.answer(new KeyValue(key, value), Phase.OPERATIONAL, false).response();
    }

    @Test
    void minimumKeysTakeTheSmallerValue() {
        assertEquals("262144", answer(KeyTable.MAX_BURST_LENGTH, "16776192"));
        assertEquals("0", answer(KeyTable.ERROR_RECOVERY_LEVEL, "2"));
        assertEquals("1", answer(KeyTable.MAX_CONNECTIONS, "8"));
    }

    @Test
    void maximumKeysTakeTheLargerValue() {
        assertEquals("5", answer(KeyTable.DEFAULT_TIME2WAIT, "5"));
        assertEquals("2", answer(KeyTable.DEFAULT_TIME2WAIT, "0"));
    }

    @Test
    void initialR2TIsAnOrFunction() {
        assertEquals("No", answer(KeyTable.INITIAL_R2T, "No"));
        assertEquals("Yes", new Negotiator(KeyTable.standard(), OURS)
                .answer(new KeyValue(KeyTable.INITIAL_R2T, "Yes"), Phase.OPERATIONAL, false).response());
    }

    @Test
    void immediateDataIsAnAndFunction() {
        assertEquals("No", answer(KeyTable.IMMEDIATE_DATA, "No"));
    }

    @Test
    void digestListPicksTheInitiatorsFirstAcceptableChoice() {
        assertEquals("CRC32C", answer(KeyTable.HEADER_DIGEST, "CRC32C,None"));
        assertEquals("None", answer(KeyTable.DATA_DIGEST, "CRC32C,None")); // we only allow None by default
    }

    @Test
    void listWithoutAcceptableValueIsRejected() {
        assertEquals(KeyValue.REJECT, answer(KeyTable.DATA_DIGEST, "CRC32C"));
    }

    @Test
    void outOfRangeNumberIsRejected() {
        assertEquals(KeyValue.REJECT, answer(KeyTable.MAX_BURST_LENGTH, "100"));
        assertEquals(KeyValue.REJECT, answer(KeyTable.MAX_RECV_DATA_SEGMENT_LENGTH, "abc"));
    }

    @Test
    void invalidBooleanIsRejected() {
        assertEquals(KeyValue.REJECT, answer(KeyTable.IMMEDIATE_DATA, "Maybe"));
    }

    @Test
    void unknownKeyIsNotUnderstood() {
        assertEquals(KeyValue.NOT_UNDERSTOOD, answer("X-com.example.Foo", "1"));
        assertEquals(KeyValue.NOT_UNDERSTOOD, answer("sENDtARGETS", "All"));
    }

    @Test
    void maxRecvDataSegmentLengthIsDeclaredPerDirection() {
        assertEquals("262144", answer(KeyTable.MAX_RECV_DATA_SEGMENT_LENGTH, "8192"));
        assertEquals("8192", n.value(KeyTable.MAX_RECV_DATA_SEGMENT_LENGTH));
    }

    @Test
    void firstBurstLengthNeverExceedsTheAgreedMaxBurstLength() {
        answer(KeyTable.MAX_BURST_LENGTH, "4096");
        assertEquals("4096", answer(KeyTable.FIRST_BURST_LENGTH, "65536"));
    }

    @Test
    void sessionKeysAreIrrelevantInADiscoverySession() {
        assertEquals(KeyValue.IRRELEVANT,
                n.answer(new KeyValue(KeyTable.MAX_BURST_LENGTH, "4096"), Phase.OPERATIONAL, true).response());
    }

    @Test
    void declarativeKeysGetNoAnswer() {
        assertNull(answer(KeyTable.INITIATOR_ALIAS, "host"));
        assertEquals("host", n.value(KeyTable.INITIATOR_ALIAS));
    }

    @Test
    void securityKeyOutsideTheSecurityStageIsAViolation() {
        assertTrue(n.answer(new KeyValue(KeyTable.AUTH_METHOD, "None"), Phase.OPERATIONAL, false).fatal());
    }

    @Test
    void keyOfferedAgainIsAnsweredAgainAndTheLastAnswerCounts() {
        answer(KeyTable.MAX_BURST_LENGTH, "4096");
        assertEquals("8192", answer(KeyTable.MAX_BURST_LENGTH, "8192"));
        assertEquals("8192", n.value(KeyTable.MAX_BURST_LENGTH));
    }

    @Test
    void unnegotiatedKeysTakeTheRfcDefaults() {
        assertEquals("Yes", n.value(KeyTable.INITIAL_R2T));
        assertEquals("262144", n.value(KeyTable.MAX_BURST_LENGTH));
        assertEquals("65536", n.value(KeyTable.FIRST_BURST_LENGTH));
        assertEquals("1", n.value(KeyTable.MAX_OUTSTANDING_R2T));
        assertEquals("20", n.value(KeyTable.DEFAULT_TIME2RETAIN));
        assertEquals("8192", n.value(KeyTable.MAX_RECV_DATA_SEGMENT_LENGTH));
    }

    @Test
    void operationalKeysAreRejectedInFullFeaturePhase() {
        assertEquals(KeyValue.REJECT,
                n.answer(new KeyValue(KeyTable.MAX_BURST_LENGTH, "4096"), Phase.FULL_FEATURE, false).response());
    }
}
