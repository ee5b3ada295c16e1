package org.remaptarget.target.scsi;

import java.nio.ByteBuffer;

/**
 * The outcome of one {@link ScsiTask}, handed to the transport's completion callback.
 *
 * @param status         SCSI status byte ({@link #GOOD}, {@link #CHECK_CONDITION}, ...)
 * @param sense          sense data bytes (fixed or descriptor format, without any transport length prefix), or
 *                       null when there is none
 * @param dataIn         bytes for the Data-In phase, or null; may be longer than the initiator's expected length:
 *                       the transport truncates it and reports the overflow residual
 * @param dataInLength   number of valid bytes in {@code dataIn}
 * @param transferLength bytes the command itself asked to transfer (for writes: the CDB's length in bytes; for
 *                       reads: the amount the command would have returned); -1 when the transport should use
 *                       {@code dataInLength} (reads) or the data it received (writes). The transport derives its
 *                       residual from this and the initiator's Expected Data Transfer Length.
 * @param aborted        true when the task was aborted by task management or nexus loss: the transport sends no
 *                       response for it
 * @param pooledDataIn   instead of {@code dataIn}: a pooled direct buffer holding the Data-In bytes
 *                       ({@code [0, dataInLength)}), or null. Whoever ends the result's life (the transport after
 *                       the socket write, or a path that drops the data) calls {@link #releaseData()}.
 */
public record ScsiResult(int status, byte[] sense, byte[] dataIn, int dataInLength, long transferLength,
                         boolean aborted, PooledBuffer pooledDataIn) {

    /** A result without a pooled buffer (the original shape). */
    public ScsiResult(int status, byte[] sense, byte[] dataIn, int dataInLength, long transferLength,
                      boolean aborted) {
        this(status, sense, dataIn, dataInLength, transferLength, aborted, null);
    }

    public static final int GOOD = 0x00;
    public static final int CHECK_CONDITION = 0x02;
    public static final int CONDITION_MET = 0x04;
    public static final int BUSY = 0x08;
    public static final int RESERVATION_CONFLICT = 0x18;
    public static final int TASK_SET_FULL = 0x28;
    public static final int ACA_ACTIVE = 0x30;
    public static final int TASK_ABORTED = 0x40;

    private static final ScsiResult ABORTED = new ScsiResult(TASK_ABORTED, null, null, 0, -1, true);

    /** GOOD with no data. */
    public static ScsiResult good() {
        return new ScsiResult(GOOD, null, null, 0, -1, false);
    }

    /** GOOD with data for the Data-In phase. */
    public static ScsiResult goodWithData(byte[] data, int length) {
        return new ScsiResult(GOOD, null, data, length, -1, false);
    }

    /** GOOD with Data-In in a pooled direct buffer ({@code [0, length)}); the receiver releases it. */
    public static ScsiResult goodWithBuffer(PooledBuffer data, int length) {
        return new ScsiResult(GOOD, null, null, length, -1, false, data);
    }

    /** GOOD for a command whose own transfer length (in bytes) is known. */
    public static ScsiResult goodTransferred(long transferLength) {
        return new ScsiResult(GOOD, null, null, 0, transferLength, false);
    }

    /** CHECK CONDITION with sense bytes. */
    public static ScsiResult checkCondition(byte[] sense) {
        return new ScsiResult(CHECK_CONDITION, sense, null, 0, -1, false);
    }

    /** A status without sense data (RESERVATION CONFLICT, BUSY, TASK SET FULL...). */
    public static ScsiResult status(int status) {
        return new ScsiResult(status, null, null, 0, -1, false);
    }

    /** The marker for a task that was aborted: no response is sent for it. */
    public static ScsiResult abortedTask() {
        return ABORTED;
    }

    /** Returns a copy with {@code transferLength} set. */
    public ScsiResult withTransferLength(long length) {
        return new ScsiResult(status, sense, dataIn, dataInLength, length, aborted, pooledDataIn);
    }

    /** Returns a copy with another status and sense, keeping the data (array or pooled buffer). */
    public ScsiResult withStatus(int newStatus, byte[] newSense) {
        return new ScsiResult(newStatus, newSense, dataIn, dataInLength, transferLength, aborted, pooledDataIn);
    }

    /** True when the result carries Data-In bytes (an array or a pooled buffer). */
    public boolean hasDataIn() {
        return dataIn != null || pooledDataIn != null;
    }

    /**
     * The Data-In bytes {@code [offset, offset + length)} as a buffer sharing the result's storage (no copy).
     */
    public ByteBuffer dataInSlice(int offset, int length) {
        return pooledDataIn != null ? pooledDataIn.buffer().slice(offset, length)
                : ByteBuffer.wrap(dataIn, offset, length);
    }

    /** Returns the pooled Data-In buffer, if any, to its pool (idempotent). Only when no PDU still refers to it. */
    public void releaseData() {
        if (pooledDataIn != null) {
            pooledDataIn.release();
        }
    }
}
