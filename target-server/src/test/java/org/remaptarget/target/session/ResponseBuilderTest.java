package org.remaptarget.target.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.remaptarget.target.pdu.DataInPdu;
import org.remaptarget.target.pdu.ScsiResponsePdu;
import org.remaptarget.target.pdu.TargetPdu;
import org.remaptarget.target.scsi.DataBufferPool;
import org.remaptarget.target.scsi.PooledBuffer;
import org.remaptarget.target.scsi.ScsiResult;

class ResponseBuilderTest {
    private final ResponseBuilder builder = new ResponseBuilder(8192, 16384);

    @Test
    void goodReadCollapsesStatusIntoTheLastDataIn() {
        List<TargetPdu> pdus = builder.build(ScsiResult.goodWithData(new byte[4096], 4096), 1, 0, 4096, true, false,
                0, 0);
        assertEquals(1, pdus.size());
        DataInPdu d = assertInstanceOf(DataInPdu.class, pdus.get(0));
        assertTrue(d.statusPresent());
        assertTrue(d.finalFlag());
        assertFalse(d.underflow() || d.overflow());
        assertTrue(d.advancesStatSN());
    }

    @Test
    void dataInIsSplitAtTheInitiatorsSegmentLimitWithFinalBitPerBurst() {
        List<TargetPdu> pdus = builder.build(ScsiResult.goodWithData(new byte[40000], 40000), 1, 0, 40000, true,
                false, 0, 0);
        assertEquals(5, pdus.size());
        int offset = 0;
        for (int i = 0; i < pdus.size(); i++) {
            DataInPdu d = (DataInPdu) pdus.get(i);
            assertTrue(d.dataLength() <= 8192);
            assertEquals(i, d.dataSN());
            assertEquals(offset, d.bufferOffset());
            offset += d.dataLength();
            assertEquals(i == 1 || i == 3 || i == 4, d.finalFlag(), "F at each 16 KiB burst end, pdu " + i);
            assertEquals(i == 4, d.statusPresent());
        }
        assertEquals(40000, offset);
    }

    @Test
    void readLongerThanTheExpectedLengthIsTruncatedWithOverflow() {
        List<TargetPdu> pdus = builder.build(ScsiResult.goodWithData(new byte[512], 512), 1, 0, 200, true, false, 0,
                0);
        DataInPdu d = (DataInPdu) pdus.get(0);
        assertEquals(200, d.dataLength());
        assertTrue(d.overflow());
        assertEquals(312, d.residualCount());
    }

    @Test
    void readShorterThanTheExpectedLengthReportsUnderflow() {
        DataInPdu d = (DataInPdu) builder.build(ScsiResult.goodWithData(new byte[512], 512), 1, 0, 10000, true,
                false, 0, 0).get(0);
        assertTrue(d.underflow());
        assertEquals(10000 - 512, d.residualCount());
    }

    @Test
    void readWithZeroExpectedLengthSendsOnlyAResponseWithOverflow() {
        List<TargetPdu> pdus = builder.build(ScsiResult.goodWithData(new byte[512], 512), 1, 0, 0, true, false, 0, 0);
        ScsiResponsePdu r = assertInstanceOf(ScsiResponsePdu.class, pdus.get(0));
        assertEquals(1, pdus.size());
        assertTrue(r.overflow());
        assertEquals(512, r.residualCount());
    }

    @Test
    void checkConditionSendsSenseInAScsiResponse() {
        byte[] sense = {0x70, 0, 5, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x24, 0};
        List<TargetPdu> pdus = builder.build(ScsiResult.checkCondition(sense), 1, 0, 512, true, false, 0, 0);
        ScsiResponsePdu r = assertInstanceOf(ScsiResponsePdu.class, pdus.get(0));
        assertEquals(ScsiResult.CHECK_CONDITION, r.status());
        assertEquals(sense.length + 2, r.data().length);
        assertEquals(sense.length, ((r.data()[0] & 0xff) << 8) | (r.data()[1] & 0xff));
        assertEquals(0x24, r.data()[2 + 12]);
    }

    @Test
    void writeResidualComesFromTheCommandsTransferLength() {
        ScsiResponsePdu under = (ScsiResponsePdu) builder.build(ScsiResult.goodTransferred(512), 1, 0, 10000, false,
                true, 10000, 0).get(0);
        assertTrue(under.underflow());
        assertEquals(10000 - 512, under.residualCount());
        ScsiResponsePdu over = (ScsiResponsePdu) builder.build(ScsiResult.goodTransferred(1024), 1, 0, 512, false,
                true, 512, 0).get(0);
        assertTrue(over.overflow());
        assertEquals(512, over.residualCount());
    }

    @Test
    void writeWithoutTransferLengthUsesTheBytesReceived() {
        ScsiResponsePdu r = (ScsiResponsePdu) builder.build(ScsiResult.good(), 1, 0, 4096, false, true, 4096, 3)
                .get(0);
        assertFalse(r.underflow() || r.overflow());
        assertEquals(3, r.expDataSN(), "ExpDataSN counts the R2Ts");
    }

    @Test
    void noDataInPduIsLargerThanMaxBurstLength() {
        ResponseBuilder small = new ResponseBuilder(65536, 4096);
        List<TargetPdu> pdus = small.build(ScsiResult.goodWithData(new byte[10000], 10000), 1, 0, 10000, true,
                false, 0, 0);
        assertEquals(3, pdus.size());
        for (TargetPdu p : pdus) {
            DataInPdu d = (DataInPdu) p;
            assertTrue(d.dataLength() <= 4096);
            assertTrue(d.finalFlag(), "every PDU ends a 4 KiB sequence");
        }
    }

    @Test
    void pooledDataInIsSentAsSlicesOfTheBufferAtEachSegmentBoundary() {
        DataBufferPool pool = new DataBufferPool(65536, 1 << 20, 1 << 20);
        PooledBuffer lease = pool.acquire(70_000);
        for (int i = 0; i < 70_000; i++) {
            lease.buffer().put(i, (byte) (i * 7));
        }
        // EDTL shorter than the data: the last segment ends mid-block and is truncated
        List<TargetPdu> pdus = builder.build(ScsiResult.goodWithBuffer(lease, 70_000), 1, 0, 69_999, true, false,
                0, 0);
        int offset = 0;
        for (TargetPdu p : pdus) {
            DataInPdu d = (DataInPdu) p;
            java.nio.ByteBuffer seg = d.dataSegment();
            assertTrue(seg.isDirect(), "no copy into an array");
            assertEquals(offset, d.bufferOffset());
            for (int i = 0; i < seg.remaining(); i++) {
                assertEquals((byte) ((offset + i) * 7), seg.get(seg.position() + i), "byte " + (offset + i));
            }
            offset += seg.remaining();
        }
        assertEquals(69_999, offset);
        DataInPdu last = (DataInPdu) pdus.get(pdus.size() - 1);
        assertTrue(last.statusPresent() && last.overflow());
        assertEquals(1, last.residualCount());
        assertFalse(lease.isReleased(), "building never releases: the writer does once the PDUs are written");
    }
}
