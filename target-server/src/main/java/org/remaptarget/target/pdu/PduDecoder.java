package org.remaptarget.target.pdu;

import java.nio.ByteBuffer;

/**
 * Incremental PDU decoder for one connection: an explicit state machine (BHS → AHS → header digest → data →
 * data digest) fed with whatever bytes arrived. Limits are enforced before any allocation: a data segment longer
 * than {@link #maxDataSegmentLength} is a fatal protocol error (RFC 7143 §7.12, §13.12), as is a header digest
 * mismatch (§7.8: framing can no longer be trusted). A data digest mismatch, an unknown opcode or a malformed AHS
 * discard just that PDU and yield a non-fatal failure the caller answers with a Reject.
 *
 * <p>Not thread-safe: owned by the connection's reader thread. The digest switches and the limit may be changed
 * between PDUs (digests start right after the login's final response).
 */
public final class PduDecoder {
    private enum State { BHS, AHS, HEADER_DIGEST, DATA, DATA_DIGEST }

    private static final int MAX_AHS = 255 * 4;

    private State state = State.BHS;
    private final byte[] bhs = new byte[Bhs.LENGTH];
    private final byte[] digest = new byte[4];
    private byte[] ahs = Pdu.NO_BYTES;
    private byte[] data = Pdu.NO_BYTES;
    private int filled;
    private int dataLength;
    private boolean headerDigest;
    private boolean dataDigest;
    private int maxDataSegmentLength;

    public PduDecoder(int maxDataSegmentLength) {
        this.maxDataSegmentLength = maxDataSegmentLength;
    }

    public void setDigests(boolean header, boolean data) {
        this.headerDigest = header;
        this.dataDigest = data;
    }

    public void setMaxDataSegmentLength(int max) {
        this.maxDataSegmentLength = max;
    }

    public int maxDataSegmentLength() {
        return maxDataSegmentLength;
    }

    /** True when no partial PDU is buffered. */
    public boolean idle() {
        return state == State.BHS && filled == 0;
    }

    /** Consumes bytes from {@code in} until one PDU is complete or the input is exhausted. */
    public DecodeResult decode(ByteBuffer in) {
        while (true) {
            switch (state) {
                case BHS -> {
                    if (!fill(in, bhs, Bhs.LENGTH)) {
                        return DecodeResult.NEED_MORE;
                    }
                    ByteBuffer b = ByteBuffer.wrap(bhs);
                    int ahsLength = Bhs.totalAhsLength(b);
                    dataLength = Bhs.dataSegmentLength(b);
                    if (dataLength > maxDataSegmentLength) {
                        reset();
                        return fail(RejectReason.PROTOCOL_ERROR, true,
                                "RFC 7143 §13.12: DataSegmentLength " + dataLength
                                        + " exceeds MaxRecvDataSegmentLength " + maxDataSegmentLength);
                    }
                    if (ahsLength > MAX_AHS) {
                        reset();
                        return fail(RejectReason.PROTOCOL_ERROR, true, "RFC 7143 §11.2.1.2: AHS too long");
                    }
                    ahs = ahsLength == 0 ? Pdu.NO_BYTES : new byte[ahsLength];
                    state = State.AHS;
                }
                case AHS -> {
                    if (!fill(in, ahs, ahs.length)) {
                        return DecodeResult.NEED_MORE;
                    }
                    state = headerDigest ? State.HEADER_DIGEST : State.DATA;
                    int padded = dataLength + Bhs.pad(dataLength);
                    data = padded == 0 ? Pdu.NO_BYTES : new byte[padded];
                }
                case HEADER_DIGEST -> {
                    if (!fill(in, digest, 4)) {
                        return DecodeResult.NEED_MORE;
                    }
                    int expected = Digests.crc32c(ByteBuffer.wrap(bhs), ByteBuffer.wrap(ahs));
                    if (expected != Digests.get(digest, 0)) {
                        reset();
                        return fail(0, true, "RFC 7143 §7.8: header digest error");
                    }
                    state = State.DATA;
                }
                case DATA -> {
                    if (!fill(in, data, data.length)) {
                        return DecodeResult.NEED_MORE;
                    }
                    if (dataDigest && dataLength > 0) {
                        state = State.DATA_DIGEST;
                    } else {
                        return complete(true);
                    }
                }
                case DATA_DIGEST -> {
                    if (!fill(in, digest, 4)) {
                        return DecodeResult.NEED_MORE;
                    }
                    boolean ok = Digests.crc32c(data, 0, data.length) == Digests.get(digest, 0);
                    return complete(ok);
                }
                default -> throw new IllegalStateException();
            }
        }
    }

    private DecodeResult complete(boolean digestOk) {
        byte[] header = bhs.clone();
        byte[] payload = data.length == dataLength ? data : java.util.Arrays.copyOf(data, dataLength);
        byte[] extra = ahs;
        reset();
        if (!digestOk) {
            return new DecodeResult.Failed(new DecodeFailure(RejectReason.DATA_DIGEST_ERROR, false,
                    "RFC 7143 §7.8: data digest error", header));
        }
        ByteBuffer b = ByteBuffer.wrap(header).asReadOnlyBuffer();
        Pdu pdu = switch (Bhs.opcode(b)) {
            case Opcode.SCSI_COMMAND -> ScsiCommandPdu.decode(b, extra, payload);
            case Opcode.DATA_OUT -> DataOutPdu.decode(b, payload);
            case Opcode.NOP_OUT -> NopOutPdu.decode(b, payload);
            case Opcode.LOGIN_REQUEST -> LoginRequestPdu.decode(b, payload);
            case Opcode.TEXT_REQUEST -> TextRequestPdu.decode(b, payload);
            case Opcode.LOGOUT_REQUEST -> LogoutRequestPdu.decode(b);
            case Opcode.TASK_MGMT_REQUEST -> TaskMgmtRequestPdu.decode(b);
            case Opcode.SNACK_REQUEST -> SnackRequestPdu.decode(b);
            case Opcode.SCSI_RESPONSE -> ScsiResponsePdu.decode(b, payload);
            case Opcode.DATA_IN -> DataInPdu.decode(b, payload);
            case Opcode.R2T -> R2tPdu.decode(b);
            case Opcode.NOP_IN -> NopInPdu.decode(b, payload);
            case Opcode.LOGIN_RESPONSE -> LoginResponsePdu.decode(b, payload);
            case Opcode.TEXT_RESPONSE -> TextResponsePdu.decode(b, payload);
            case Opcode.LOGOUT_RESPONSE -> LogoutResponsePdu.decode(b);
            case Opcode.TASK_MGMT_RESPONSE -> TaskMgmtResponsePdu.decode(b);
            case Opcode.REJECT -> RejectPdu.decode(b, payload);
            case Opcode.ASYNC_MESSAGE -> AsyncMessagePdu.decode(b, payload);
            default -> null;
        };
        if (pdu == null) {
            int op = Bhs.opcode(b);
            boolean known = op == Opcode.SCSI_COMMAND;
            return new DecodeResult.Failed(new DecodeFailure(
                    known ? RejectReason.INVALID_PDU_FIELD : RejectReason.COMMAND_NOT_SUPPORTED, false,
                    known ? "RFC 7143 §11.3.5: malformed additional header segment"
                            : "RFC 7143 §11.1.1.1: unsupported opcode 0x" + Integer.toHexString(op), header));
        }
        return new DecodeResult.Decoded(pdu, header);
    }

    private DecodeResult fail(int reason, boolean fatal, String rule) {
        return new DecodeResult.Failed(new DecodeFailure(reason, fatal, rule, bhs.clone()));
    }

    private boolean fill(ByteBuffer in, byte[] dst, int need) {
        int n = Math.min(need - filled, in.remaining());
        in.get(dst, filled, n);
        filled += n;
        if (filled < need) {
            return false;
        }
        filled = 0;
        return true;
    }

    private void reset() {
        state = State.BHS;
        filled = 0;
        ahs = Pdu.NO_BYTES;
        data = Pdu.NO_BYTES;
        dataLength = 0;
    }
}
