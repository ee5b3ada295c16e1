package org.remaptarget.target.session;

import java.util.ArrayList;
import java.util.List;

import org.remaptarget.target.pdu.Bhs;
import org.remaptarget.target.pdu.DataInPdu;
import org.remaptarget.target.pdu.ScsiResponsePdu;
import org.remaptarget.target.pdu.TargetPdu;
import org.remaptarget.target.scsi.ScsiResult;

/**
 * Turns a {@link ScsiResult} into the PDUs that answer a command (RFC 7143 §11.4, §11.7): Data-In PDUs no larger
 * than the initiator's MaxRecvDataSegmentLength, F at every MaxBurstLength boundary, truncated to the Expected Data
 * Transfer Length; status collapsed into the last Data-In when it is GOOD without sense, else a SCSI Response
 * carrying the sense; residual over/underflow from EDTL against the command's own transfer length. Data-In PDUs
 * reference the result's array or pooled buffer (no copy); the caller releases a pooled buffer once they are written
 * ({@link PduSink#sendAll(List, Runnable)}). Stateless.
 */
public final class ResponseBuilder {
    private final int maxSegment;
    private final int maxBurst;

    public ResponseBuilder(int initiatorMaxRecvDataSegmentLength, int maxBurstLength) {
        this.maxSegment = Math.min(initiatorMaxRecvDataSegmentLength, maxBurstLength);
        this.maxBurst = maxBurstLength;
    }

    /** Residual of a command: positive = underflow, negative = overflow. */
    static long residual(long expected, long actual) {
        return expected - actual;
    }

    /**
     * Builds the response PDUs.
     *
     * @param itt           the command's task tag
     * @param lunField      the raw LUN field (echoed in Data-In)
     * @param edtl          Expected Data Transfer Length (unsigned 32-bit)
     * @param readExpected  the command's R bit
     * @param writeExpected the command's W bit
     * @param received      Data-Out bytes received for a write
     * @param r2tCount      R2Ts sent for the command (they count towards ExpDataSN)
     */
    public List<TargetPdu> build(ScsiResult result, int itt, long lunField, long edtl, boolean readExpected,
                                 boolean writeExpected, int received, int r2tCount) {
        int dataLength = result.hasDataIn() ? result.dataInLength() : 0;
        long actual;
        if (result.transferLength() >= 0) {
            actual = result.transferLength();
        } else if (readExpected || dataLength > 0) {
            actual = dataLength;
        } else if (writeExpected) {
            actual = received;
        } else {
            actual = 0;
        }
        long diff = residual(edtl, actual);
        boolean underflow = diff > 0;
        boolean overflow = diff < 0;
        int residualCount = (int) Math.min(Math.abs(diff), 0xffffffffL);
        int toSend = readExpected ? (int) Math.min(dataLength, edtl) : 0;
        boolean collapse = toSend > 0 && result.sense() == null
                && (result.status() == ScsiResult.GOOD || result.status() == ScsiResult.CONDITION_MET);
        List<TargetPdu> out = new ArrayList<>(toSend / Math.max(1, maxSegment) + 2);
        int offset = 0;
        int dataSN = 0;
        int burst = 0;
        while (offset < toSend) {
            int len = Math.min(maxSegment, Math.min(toSend - offset, maxBurst - burst));
            boolean last = offset + len == toSend;
            burst += len;
            boolean endOfBurst = last || burst == maxBurst;
            boolean status = last && collapse;
            out.add(new DataInPdu(endOfBurst, false, status && overflow, status && underflow, status,
                    status ? result.status() : 0, lunField, itt, Bhs.RESERVED_TAG, 0, 0, 0, dataSN++, offset,
                    status ? residualCount : 0, result.dataIn(), offset, len,
                    result.pooledDataIn() == null ? null : result.pooledDataIn().buffer()));
            if (endOfBurst) {
                burst = 0;
            }
            offset += len;
        }
        if (!collapse) {
            out.add(new ScsiResponsePdu(false, false, overflow, underflow, ScsiResponsePdu.COMMAND_COMPLETED,
                    result.status(), itt, 0, 0, 0, dataSN + r2tCount, 0, residualCount,
                    ScsiResponsePdu.senseSegment(result.sense())));
        }
        return out;
    }
}
