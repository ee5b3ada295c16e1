package org.remaptarget.target.pdu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

class PduCodecTest {

    private static Pdu roundTrip(Pdu pdu, boolean hd, boolean dd) {
        byte[] wire = PduEncoder.toBytes(pdu, hd, dd);
        assertEquals(0, wire.length % 4, "PDUs are padded to 4 bytes");
        PduDecoder dec = new PduDecoder(1 << 20);
        dec.setDigests(hd, dd);
        DecodeResult r = dec.decode(ByteBuffer.wrap(wire));
        DecodeResult.Decoded d = assertInstanceOf(DecodeResult.Decoded.class, r);
        assertTrue(dec.idle());
        return d.pdu();
    }

    @Test
    void scsiCommandWithImmediateDataSurvivesARoundTrip() {
        byte[] cdb = new byte[16];
        cdb[0] = 0x2a;
        ScsiCommandPdu in = new ScsiCommandPdu(false, true, false, true, 1, Lun.toField(3), 0x11, 4096, 7, 9, cdb,
                -1, new byte[] {1, 2, 3, 4, 5});
        ScsiCommandPdu out = (ScsiCommandPdu) roundTrip(in, false, false);
        assertEquals(in.finalFlag(), out.finalFlag());
        assertTrue(out.write());
        assertFalse(out.read());
        assertEquals(1, out.attribute());
        assertEquals(3, Lun.toNumber(out.lun()));
        assertEquals(0x11, out.initiatorTaskTag());
        assertEquals(4096, out.expectedDataTransferLength());
        assertEquals(7, out.cmdSN());
        assertEquals(9, out.expStatSN());
        assertArrayEquals(cdb, out.cdb());
        assertArrayEquals(in.data(), out.data());
        assertEquals(-1, out.bidiReadLength());
    }

    @Test
    void extendedCdbTravelsInAnAdditionalHeaderSegment() {
        byte[] cdb = new byte[32];
        for (int i = 0; i < cdb.length; i++) {
            cdb[i] = (byte) (i + 1);
        }
        ScsiCommandPdu in = new ScsiCommandPdu(false, true, true, false, 1, 0, 1, 512, 1, 1, cdb, 4096, new byte[0]);
        ScsiCommandPdu out = (ScsiCommandPdu) roundTrip(in, true, true);
        assertArrayEquals(cdb, out.cdb());
        assertEquals(4096, out.bidiReadLength());
    }

    @Test
    void dataInCarriesOnlyItsSliceOfTheReadBuffer() {
        byte[] buf = new byte[100];
        Arrays.fill(buf, 10, 20, (byte) 7);
        DataInPdu in = new DataInPdu(true, false, false, true, true, 0, 0, 5, Bhs.RESERVED_TAG, 3, 4, 5, 2, 10, 90,
                buf, 10, 10);
        DataInPdu out = (DataInPdu) roundTrip(in, false, true);
        assertEquals(10, out.dataLength());
        assertArrayEquals(Arrays.copyOfRange(buf, 10, 20), out.data());
        assertTrue(out.statusPresent());
        assertTrue(out.underflow());
        assertEquals(90, out.residualCount());
        assertEquals(3, out.statSN());
        assertEquals(2, out.dataSN());
        assertEquals(10, out.bufferOffset());
    }

    @Test
    void everyTargetPduTypeRoundTrips() {
        byte[] sense = {0x70, 0, 5};
        TargetPdu[] pdus = {
            new ScsiResponsePdu(false, false, true, false, 0, 2, 1, 2, 3, 4, 5, 0, 77,
                    ScsiResponsePdu.senseSegment(sense)),
            new R2tPdu(Lun.toField(1), 1, 2, 3, 4, 5, 6, 8192, 65536),
            new NopInPdu(0, 9, Bhs.RESERVED_TAG, 1, 2, 3, new byte[] {9, 9}),
            new LoginResponsePdu(true, false, 1, 3, 0, 0, 0x123456789abL, 7, 1, 2, 3, 4, 0, 0, new byte[] {'a', 0}),
            new TextResponsePdu(false, true, 0, 1, 2, 3, 4, 5, new byte[] {'x', '=', 'y', 0}),
            new LogoutResponsePdu(0, 1, 2, 3, 4, 2, 20),
            new TaskMgmtResponsePdu(1, 1, 2, 3, 4),
            RejectPdu.of(RejectReason.PROTOCOL_ERROR, new byte[48]).withNumbers(5, 6, 7),
            new AsyncMessagePdu(0, 1, 2, 3, AsyncMessagePdu.EVENT_LOGOUT_REQUEST, 0, 0, 2, 20, new byte[0]),
        };
        for (TargetPdu p : pdus) {
            Pdu back = roundTrip(p, true, true);
            assertEquals(p.getClass(), back.getClass());
            assertArrayEquals(PduEncoder.toBytes(p, false, false), PduEncoder.toBytes(back, false, false),
                    p.getClass().getSimpleName());
        }
    }

    @Test
    void everyInitiatorPduTypeRoundTrips() {
        InitiatorPdu[] pdus = {
            new DataOutPdu(true, 0, 1, 2, 3, 4, 512, new byte[] {1, 2, 3}),
            new NopOutPdu(true, 0, 1, Bhs.RESERVED_TAG, 5, 6, new byte[] {1}),
            new LoginRequestPdu(true, false, 0, 1, 0, 0, 0x400001370000L, 0, 1, 0, 1, 0, new byte[] {'k', '=', 'v', 0}),
            new TextRequestPdu(true, true, false, 0, 1, Bhs.RESERVED_TAG, 2, 3, new byte[0]),
            new LogoutRequestPdu(true, 0, 1, 0, 2, 3),
            new TaskMgmtRequestPdu(true, 1, Lun.toField(0), 1, 2, 3, 4, 5, 6),
            new SnackRequestPdu(0, 0, 1, 2, 3, 4, 5),
        };
        for (InitiatorPdu p : pdus) {
            Pdu back = roundTrip(p, false, false);
            assertEquals(p.getClass(), back.getClass());
            assertArrayEquals(PduEncoder.toBytes(p, false, false), PduEncoder.toBytes(back, false, false),
                    p.getClass().getSimpleName());
        }
    }

    @Test
    void decoderAssemblesAPduFedOneByteAtATime() {
        byte[] wire = PduEncoder.toBytes(new NopOutPdu(false, 0, 1, Bhs.RESERVED_TAG, 5, 6, new byte[] {1, 2, 3}),
                true, true);
        PduDecoder dec = new PduDecoder(8192);
        dec.setDigests(true, true);
        DecodeResult last = null;
        for (int i = 0; i < wire.length; i++) {
            last = dec.decode(ByteBuffer.wrap(wire, i, 1));
            if (i < wire.length - 1) {
                assertInstanceOf(DecodeResult.NeedMore.class, last);
            }
        }
        NopOutPdu nop = (NopOutPdu) ((DecodeResult.Decoded) last).pdu();
        assertArrayEquals(new byte[] {1, 2, 3}, nop.data());
    }

    @Test
    void dataSegmentLongerThanTheLimitIsAFatalProtocolError() {
        byte[] wire = PduEncoder.toBytes(new NopOutPdu(false, 0, 1, Bhs.RESERVED_TAG, 5, 6, new byte[9000]), false,
                false);
        DecodeResult r = new PduDecoder(8192).decode(ByteBuffer.wrap(wire));
        DecodeFailure f = assertInstanceOf(DecodeResult.Failed.class, r).failure();
        assertTrue(f.fatal());
        assertEquals(RejectReason.PROTOCOL_ERROR, f.rejectReason());
        assertTrue(f.rule().contains("MaxRecvDataSegmentLength"));
    }

    @Test
    void corruptHeaderDigestIsFatal() {
        byte[] wire = PduEncoder.toBytes(new NopOutPdu(true, 0, 1, Bhs.RESERVED_TAG, 5, 6, new byte[0]), true, false);
        wire[20] ^= 1;
        PduDecoder dec = new PduDecoder(8192);
        dec.setDigests(true, false);
        DecodeFailure f = assertInstanceOf(DecodeResult.Failed.class, dec.decode(ByteBuffer.wrap(wire))).failure();
        assertTrue(f.fatal());
    }

    @Test
    void corruptDataDigestRejectsOnlyThatPdu() {
        byte[] one = PduEncoder.toBytes(new NopOutPdu(true, 0, 1, Bhs.RESERVED_TAG, 5, 6, new byte[] {1, 2, 3, 4}),
                false, true);
        one[49] ^= 1;
        byte[] two = PduEncoder.toBytes(new NopOutPdu(true, 0, 2, Bhs.RESERVED_TAG, 5, 6, new byte[] {9}), false,
                true);
        ByteBuffer in = ByteBuffer.allocate(one.length + two.length).put(one).put(two).flip();
        PduDecoder dec = new PduDecoder(8192);
        dec.setDigests(false, true);
        DecodeFailure f = assertInstanceOf(DecodeResult.Failed.class, dec.decode(in)).failure();
        assertFalse(f.fatal());
        assertEquals(RejectReason.DATA_DIGEST_ERROR, f.rejectReason());
        NopOutPdu next = (NopOutPdu) assertInstanceOf(DecodeResult.Decoded.class, dec.decode(in)).pdu();
        assertEquals(2, next.initiatorTaskTag());
    }

    @Test
    void unknownOpcodeIsRejectedAsCommandNotSupported() {
        byte[] wire = new byte[48];
        wire[0] = 0x1c;
        DecodeFailure f = assertInstanceOf(DecodeResult.Failed.class,
                new PduDecoder(8192).decode(ByteBuffer.wrap(wire))).failure();
        assertFalse(f.fatal());
        assertEquals(RejectReason.COMMAND_NOT_SUPPORTED, f.rejectReason());
        assertEquals(48, f.header().length);
    }

    @Test
    void crc32cMatchesTheRfc3720TestVector() {
        // RFC 3720 B.4: 32 bytes of zeros -> CRC aa 36 91 8a (as transmitted)
        byte[] zeros = new byte[32];
        byte[] wire = new byte[4];
        Digests.put(wire, 0, Digests.crc32c(zeros, 0, 32));
        assertArrayEquals(new byte[] {(byte) 0xaa, 0x36, (byte) 0x91, (byte) 0x8a}, wire);
    }
}
