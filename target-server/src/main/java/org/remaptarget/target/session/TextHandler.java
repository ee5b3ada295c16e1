package org.remaptarget.target.session;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.remaptarget.target.pdu.Bhs;
import org.remaptarget.target.pdu.InitiatorPdu;
import org.remaptarget.target.pdu.Pdu;
import org.remaptarget.target.pdu.RejectReason;
import org.remaptarget.target.pdu.TextRequestPdu;
import org.remaptarget.target.pdu.TextResponsePdu;
import org.remaptarget.target.text.KeyDefinition;
import org.remaptarget.target.text.KeyTable;
import org.remaptarget.target.text.KeyValue;
import org.remaptarget.target.text.Negotiator;
import org.remaptarget.target.text.TextCodec;
import org.remaptarget.target.text.TextParseResult;

/**
 * Text Request / Response in full feature phase (RFC 7143 §11.10-11, §12.3): SendTargets (All, a target name, or
 * empty for the session's target), other keys answered NotUnderstood/Reject; partial requests (C bit) are
 * gathered, and an answer longer than the initiator's MaxRecvDataSegmentLength is sent in pieces with the C bit,
 * each fetched by an empty request carrying the TTT we handed out. Reader thread only.
 */
final class TextHandler {
    private static final int MAX_REQUEST_TEXT = 64 * 1024;

    private final FullFeatureConnection conn;
    private final TargetDirectory directory;
    private final List<String> addresses;
    private final Negotiator negotiator;
    private final TextCodec codec = TextCodec.standard();
    private final ByteArrayOutputStream partialRequest = new ByteArrayOutputStream();
    private byte[] pendingAnswer;
    private int pendingOffset;
    private int pendingTtt = Bhs.RESERVED_TAG;
    private int partialTtt = Bhs.RESERVED_TAG;

    TextHandler(FullFeatureConnection conn, TargetDirectory directory, List<String> addresses) {
        this.conn = conn;
        this.directory = directory;
        this.addresses = List.copyOf(addresses);
        this.negotiator = new Negotiator(KeyTable.standard(), Map.of());
    }

    boolean handle(InitiatorPdu pdu, byte[] header) {
        TextRequestPdu req = (TextRequestPdu) pdu;
        int ttt = req.targetTransferTag();
        if (ttt != Bhs.RESERVED_TAG && pendingAnswer != null && ttt == pendingTtt) {
            sendPiece(req); // the initiator fetches the next piece of a long answer
            return true;
        }
        if (ttt != Bhs.RESERVED_TAG && !(partialRequest.size() > 0 && ttt == partialTtt)) {
            conn.reject(RejectReason.INVALID_PDU_FIELD, header, "RFC 7143 §11.10.4: unknown Target Transfer Tag");
            return true;
        }
        if (ttt == Bhs.RESERVED_TAG) {
            partialRequest.reset(); // a new exchange
        }
        pendingAnswer = null;
        partialRequest.write(req.data(), 0, req.data().length);
        if (partialRequest.size() > MAX_REQUEST_TEXT) {
            partialRequest.reset();
            conn.reject(RejectReason.PROTOCOL_ERROR, header, "text request too long");
            return true;
        }
        if (req.continueFlag()) {
            partialTtt = conn.nextTargetTransferTag();
            conn.sink().send(new TextResponsePdu(false, false, req.lun(), req.initiatorTaskTag(), partialTtt, 0, 0,
                    0, Pdu.NO_BYTES));
            return true;
        }
        byte[] text = partialRequest.toByteArray();
        partialRequest.reset();
        TextParseResult parsed = codec.parse(text);
        if (parsed instanceof TextParseResult.Malformed) {
            conn.reject(RejectReason.PROTOCOL_ERROR, header, ((TextParseResult.Malformed) parsed).rule());
            return true;
        }
        List<KeyValue> answer = new ArrayList<>();
        for (KeyValue kv : ((TextParseResult.Parsed) parsed).pairs()) {
            if (kv.key().equals(KeyTable.SEND_TARGETS)) {
                sendTargets(kv.value(), answer);
            } else {
                Negotiator.Answer a = negotiator.answer(kv, KeyDefinition.Phase.FULL_FEATURE,
                        conn.session().discovery());
                answer.add(new KeyValue(kv.key(), a.response() == null ? KeyValue.REJECT : a.response()));
            }
        }
        pendingAnswer = TextCodec.encode(answer);
        pendingOffset = 0;
        pendingTtt = Bhs.RESERVED_TAG;
        sendPiece(req);
        return true;
    }

    private void sendTargets(String value, List<KeyValue> answer) {
        Session s = conn.session();
        List<TargetEntry> targets;
        if (s.discovery()) {
            if (value.equals("All")) {
                targets = directory.all();
            } else {
                targets = directory.lookup(value).map(List::of).orElse(null);
            }
        } else if (value.isEmpty() || value.equals("All") || value.equals(s.target().iqn())) {
            targets = List.of(s.target()); // RFC 7143 §12.3: only the session's own target
        } else {
            targets = null;
        }
        if (targets == null) {
            answer.add(new KeyValue(KeyTable.SEND_TARGETS, KeyValue.REJECT));
            return;
        }
        for (TargetEntry t : targets) {
            answer.add(new KeyValue(KeyTable.TARGET_NAME, t.iqn()));
            for (String a : addresses) {
                answer.add(new KeyValue(KeyTable.TARGET_ADDRESS, a));
            }
        }
    }

    private void sendPiece(TextRequestPdu req) {
        int max = conn.parameters().initiatorMaxRecvDataSegmentLength();
        int remaining = pendingAnswer.length - pendingOffset;
        int len = Math.min(max, remaining);
        byte[] piece = Arrays.copyOfRange(pendingAnswer, pendingOffset, pendingOffset + len);
        pendingOffset += len;
        boolean more = pendingOffset < pendingAnswer.length;
        if (more) {
            pendingTtt = conn.nextTargetTransferTag();
        } else {
            pendingAnswer = null;
            pendingTtt = Bhs.RESERVED_TAG;
        }
        conn.sink().send(new TextResponsePdu(!more, more, req.lun(), req.initiatorTaskTag(),
                more ? pendingTtt : Bhs.RESERVED_TAG, 0, 0, 0, piece));
    }
}
