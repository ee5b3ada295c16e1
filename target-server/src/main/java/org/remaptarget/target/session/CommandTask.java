package org.remaptarget.target.session;

import java.util.HashMap;
import java.util.Map;

import org.remaptarget.target.pdu.ScsiCommandPdu;
import org.remaptarget.target.scsi.ScsiTask;

/**
 * One SCSI command between its arrival and its response: the Data-Out gathering state (unsolicited burst,
 * outstanding R2Ts), CmdSN delivery and submission to the SCSI core.
 *
 * <p>Locking: the gathering fields are guarded by the task's monitor: the reader thread handles Data-Out and aborts,
 * and a thread releasing write budget may resume a task waiting to send its R2Ts. {@link #aborted} and
 * {@link #scsiTask} are also read by completion threads, hence volatile.
 */
final class CommandTask {
    /** One outstanding R2T: the sequence [offset, offset+length) the initiator must send with this TTT. */
    static final class R2tState {
        final int ttt;
        final int offset;
        final int length;
        int nextOffset;
        int nextDataSN;

        R2tState(int ttt, int offset, int length) {
            this.ttt = ttt;
            this.offset = offset;
            this.length = length;
            this.nextOffset = offset;
        }
    }

    final ScsiCommandPdu command;
    final int itt;
    final long lun;
    final int expectedLength;
    byte[] buffer;
    /** Bytes charged to the server's write budget (released exactly once). */
    long reserved;
    int received;
    boolean unsolicitedOpen;
    final int unsolicitedLimit;
    int nextUnsolicitedDataSN;
    final Map<Integer, R2tState> outstanding = new HashMap<>();
    int nextR2tOffset;
    int nextR2tSN;
    boolean ordered;
    boolean submitted;
    /** All data is in and the CmdSN reached: the next caller out of the monitor submits it. */
    boolean readyToSubmit;
    volatile boolean aborted;
    /** A SCSI response or final Data-In is on its way to the initiator (guarded by this task's monitor). */
    boolean responded;
    volatile ScsiTask scsiTask;

    CommandTask(ScsiCommandPdu command, long lun, int expectedLength, byte[] buffer, int unsolicitedLimit) {
        this.command = command;
        this.itt = command.initiatorTaskTag();
        this.lun = lun;
        this.expectedLength = expectedLength;
        this.buffer = buffer;
        this.unsolicitedLimit = unsolicitedLimit;
    }

    boolean writing() {
        return command.write() && expectedLength > 0;
    }

    boolean allDataReceived() {
        return !writing() || received >= expectedLength;
    }
}
