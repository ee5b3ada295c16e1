package org.remaptarget.target.pdu;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing (Jazzer) of the PDU decoder against the invariants of {@link PduStreamCheck}. The input
 * chooses the digests, the limit, the read sizes and whether the harness seals the stream with correct CRC32C
 * digests (a fuzzer cannot guess a CRC, and without them everything past a digest check would stay unexplored);
 * a sealed PDU must never fail a digest check. Regression inputs: {@code PduDecoderGuidedFuzzTestInputs/}.
 */
class PduDecoderGuidedFuzzTest {
    private static final int[] LIMITS = {512, 8192, 65536};

    @FuzzTest(maxDuration = "15s")
    void anyByteStreamDecodesToValuesOrFailures(FuzzedDataProvider data) {
        boolean headerDigest = data.consumeBoolean();
        boolean dataDigest = data.consumeBoolean();
        boolean seal = data.consumeBoolean();
        int limit = data.pickValue(LIMITS);
        int[] reads = new int[1 + data.consumeInt(0, 7)];
        for (int i = 0; i < reads.length; i++) {
            reads[i] = data.consumeInt(1, 300);
        }
        Sealed stream = new Sealed(data.consumeRemainingAsBytes(), 0);
        if (seal) {
            stream = seal(stream.bytes(), headerDigest, dataDigest, limit);
        }
        PduDecoder d = new PduDecoder(limit);
        d.setDigests(headerDigest, dataDigest);
        List<DecodeResult> results = PduStreamCheck.feed(d, stream.bytes(), read -> reads[read % reads.length]);
        for (DecodeResult r : results.subList(0, Math.min(stream.pdus(), results.size()))) {
            assertFalse(r instanceof DecodeResult.Failed f && f.failure().rule().contains("digest"),
                    "a correctly sealed PDU failed a digest check: " + r);
        }
    }

    /** A byte stream whose first {@code pdus} PDUs carry correct digests. */
    record Sealed(byte[] bytes, int pdus) {
    }

    /**
     * Frames {@code raw} as the decoder will (BHS, AHS, padded data) and inserts the correct digests the
     * connection negotiated; stops sealing at a PDU the decoder refuses before its digests or that is cut short.
     */
    static Sealed seal(byte[] raw, boolean headerDigest, boolean dataDigest, int limit) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length + 64);
        int at = 0;
        int pdus = 0;
        while (raw.length - at >= Bhs.LENGTH) {
            int ahs = (raw[at + 4] & 0xff) * 4;
            int len = ((raw[at + 5] & 0xff) << 16) | ((raw[at + 6] & 0xff) << 8) | (raw[at + 7] & 0xff);
            int padded = len + Bhs.pad(len);
            if (len > limit || raw.length - at < Bhs.LENGTH + ahs + padded) {
                break;
            }
            byte[] digest = new byte[4];
            out.write(raw, at, Bhs.LENGTH + ahs);
            if (headerDigest) {
                Digests.put(digest, 0, Digests.crc32c(raw, at, Bhs.LENGTH + ahs));
                out.write(digest, 0, 4);
            }
            at += Bhs.LENGTH + ahs;
            out.write(raw, at, padded);
            if (dataDigest && len > 0) {
                Digests.put(digest, 0, Digests.crc32c(raw, at, padded));
                out.write(digest, 0, 4);
            }
            at += padded;
            pdus++;
        }
        out.write(raw, at, raw.length - at);
        return new Sealed(out.toByteArray(), pdus);
    }
}
