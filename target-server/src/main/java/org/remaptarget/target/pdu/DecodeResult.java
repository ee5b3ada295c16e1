package org.remaptarget.target.pdu;

/** What one call of {@link PduDecoder#decode} produced. */
public sealed interface DecodeResult {
    /** The input ran out before a PDU was complete. */
    record NeedMore() implements DecodeResult {
    }

    /** A complete, well-formed PDU. {@code header} is its raw BHS (for a later Reject). */
    record Decoded(Pdu pdu, byte[] header) implements DecodeResult {
    }

    /** A complete PDU was malformed ({@code fatal == false}: the stream continues) or framing is lost. */
    record Failed(DecodeFailure failure) implements DecodeResult {
    }

    NeedMore NEED_MORE = new NeedMore();
}
