package org.remaptarget.target.login;

import java.util.Map;

import org.remaptarget.target.text.KeyTable;
import org.remaptarget.target.text.Negotiator;

/**
 * The operational parameters a login agreed, with RFC 7143 defaults for keys never negotiated. Immutable.
 *
 * @param initiatorMaxRecvDataSegmentLength the largest data segment we may send on this connection
 * @param targetMaxRecvDataSegmentLength    the largest data segment we accept on this connection
 */
public record NegotiatedParameters(boolean discovery, String initiatorName, String initiatorAlias,
                                   String targetName, boolean headerDigest, boolean dataDigest, int maxConnections,
                                   boolean initialR2T, boolean immediateData,
                                   int initiatorMaxRecvDataSegmentLength, int targetMaxRecvDataSegmentLength,
                                   int maxBurstLength, int firstBurstLength, int defaultTime2Wait,
                                   int defaultTime2Retain, int maxOutstandingR2T, boolean dataPduInOrder,
                                   boolean dataSequenceInOrder, int errorRecoveryLevel) {

    /** Builds the parameters from a finished negotiation. */
    static NegotiatedParameters from(Negotiator n, Map<String, String> targetValues, boolean discovery,
                                     String initiatorName, String initiatorAlias, String targetName) {
        int targetMrdsl = Integer.parseInt(targetValues.getOrDefault(KeyTable.MAX_RECV_DATA_SEGMENT_LENGTH,
                "8192"));
        int mbl = num(n, KeyTable.MAX_BURST_LENGTH);
        return new NegotiatedParameters(discovery, initiatorName, initiatorAlias, targetName,
                "CRC32C".equals(n.value(KeyTable.HEADER_DIGEST)), "CRC32C".equals(n.value(KeyTable.DATA_DIGEST)),
                num(n, KeyTable.MAX_CONNECTIONS), yes(n, KeyTable.INITIAL_R2T), yes(n, KeyTable.IMMEDIATE_DATA),
                num(n, KeyTable.MAX_RECV_DATA_SEGMENT_LENGTH), targetMrdsl,
                mbl, Math.min(mbl, num(n, KeyTable.FIRST_BURST_LENGTH)), num(n, KeyTable.DEFAULT_TIME2WAIT),
                num(n, KeyTable.DEFAULT_TIME2RETAIN), num(n, KeyTable.MAX_OUTSTANDING_R2T),
                yes(n, KeyTable.DATA_PDU_IN_ORDER), yes(n, KeyTable.DATA_SEQUENCE_IN_ORDER),
                num(n, KeyTable.ERROR_RECOVERY_LEVEL));
    }

    private static int num(Negotiator n, String key) {
        return Integer.parseInt(n.value(key));
    }

    private static boolean yes(Negotiator n, String key) {
        return "Yes".equals(n.value(key));
    }
}
