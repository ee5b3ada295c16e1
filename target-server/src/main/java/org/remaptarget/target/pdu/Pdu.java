package org.remaptarget.target.pdu;

import java.nio.ByteBuffer;

/**
 * One iSCSI PDU (RFC 7143 §11). Every PDU type is an immutable record; initiator-to-target types implement
 * {@link InitiatorPdu}, target-to-initiator types {@link TargetPdu}. Records own their BHS layout
 * ({@link #writeBhs}) and the matching static {@code decode} factory; {@link PduEncoder} adds the lengths, AHS,
 * padding and digests.
 */
public sealed interface Pdu permits InitiatorPdu, TargetPdu {
    byte[] NO_BYTES = new byte[0];

    int opcode();

    int initiatorTaskTag();

    /** The data segment (without padding). A fresh view; the caller may move its position. */
    default ByteBuffer dataSegment() {
        return ByteBuffer.wrap(NO_BYTES);
    }

    /** Additional header segments, already laid out (multiple of 4 bytes). */
    default byte[] additionalHeaders() {
        return NO_BYTES;
    }

    /** Writes byte 0 (opcode, I bit), byte 1 (flags) and bytes 2-3 and 8-47; the encoder writes bytes 4-7. */
    void writeBhs(ByteBuffer bhs);
}
