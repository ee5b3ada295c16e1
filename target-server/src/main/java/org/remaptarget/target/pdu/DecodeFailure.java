package org.remaptarget.target.pdu;

/**
 * Why an incoming PDU could not be accepted.
 *
 * @param rejectReason the Reject reason code to send ({@link RejectReason}), or 0 to send none
 * @param fatal        true when the byte stream can no longer be trusted: the connection must close
 * @param rule         the RFC 7143 rule broken, for the log
 * @param header       the offending BHS (48 bytes) for the Reject data segment
 */
public record DecodeFailure(int rejectReason, boolean fatal, String rule, byte[] header) {
}
