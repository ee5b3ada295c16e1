package org.remaptarget.target.session;

import java.util.List;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.remaptarget.target.login.NegotiatedParameters;
import org.remaptarget.target.pdu.Bhs;
import org.remaptarget.target.pdu.DataOutPdu;
import org.remaptarget.target.pdu.InitiatorPdu;
import org.remaptarget.target.pdu.Lun;
import org.remaptarget.target.pdu.Pdu;
import org.remaptarget.target.pdu.ScsiResponsePdu;
import org.remaptarget.target.pdu.R2tPdu;
import org.remaptarget.target.pdu.RejectReason;
import org.remaptarget.target.pdu.ScsiCommandPdu;
import org.remaptarget.target.pdu.TargetPdu;
import org.remaptarget.target.scsi.ScsiResult;
import org.remaptarget.target.scsi.ScsiTask;
import org.remaptarget.target.scsi.TaskAttribute;

/**
 * SCSI Command and Data-Out handling (RFC 7143 §11.3, §11.7, §11.8): accepts a command, gathers its immediate and
 * unsolicited data (up to FirstBurstLength), solicits the rest with R2Ts (at most MaxOutstandingR2T outstanding,
 * each at most MaxBurstLength), validates every Data-Out's TTT, DataSN and BufferOffset, and submits the task to
 * the SCSI core once all data is in and the command's CmdSN has been reached.
 *
 * <p>Gathering state is touched only by the reader thread; completions arrive on core threads and only remove the
 * task from the session's table and send the response.
 */
final class ScsiCommandHandler {
    private static final Logger LOG = LogManager.getLogger(ScsiCommandHandler.class);
    /** The largest write this transport buffers for one command. */
    static final int MAX_WRITE_BUFFER = 256 << 20;

    private final FullFeatureConnection conn;
    private final NegotiatedParameters params;
    private final ResponseBuilder responses;
    private final WriteBudget budget;

    ScsiCommandHandler(FullFeatureConnection conn, WriteBudget budget) {
        this.conn = conn;
        this.budget = budget;
        this.params = conn.parameters();
        this.responses = new ResponseBuilder(params.initiatorMaxRecvDataSegmentLength(), params.maxBurstLength());
    }

    /**
     * A command arrived (before CmdSN ordering). Returns false after a fatal protocol error; a command refused with
     * a Reject is not registered (its CmdSN slot is still consumed by the window).
     */
    boolean arrive(ScsiCommandPdu cmd, byte[] header) {
        Session s = conn.session();
        if (s.discovery()) {
            conn.reject(RejectReason.PROTOCOL_ERROR, header, "RFC 7143 §4.4: SCSI command in a discovery session");
            return true;
        }
        long edtl = cmd.expectedDataTransferLength() & 0xffffffffL;
        int immediate = cmd.data().length;
        if (immediate > 0 && (!cmd.write() || !params.immediateData())) {
            conn.reject(RejectReason.PROTOCOL_ERROR, header, "RFC 7143 §13.11: immediate data not allowed");
            return true;
        }
        if (cmd.write() && (edtl > MAX_WRITE_BUFFER || immediate > Math.min(edtl, params.firstBurstLength()))) {
            conn.reject(RejectReason.PROTOCOL_ERROR, header,
                    "RFC 7143 §13.14: immediate data beyond FirstBurstLength/EDTL or EDTL too large");
            return true;
        }
        if (s.tasks().containsKey(cmd.initiatorTaskTag())) {
            conn.reject(RejectReason.TASK_IN_PROGRESS, header, "RFC 7143 §11.17.1: task tag in use");
            return true;
        }
        boolean writing = cmd.write() && edtl > 0;
        int unsolicitedLimit = writing ? (int) Math.min(edtl, params.firstBurstLength()) : 0;
        CommandTask task = new CommandTask(cmd, Lun.toNumber(cmd.lun()), (int) Math.min(edtl, Integer.MAX_VALUE),
                null, unsolicitedLimit);
        task.unsolicitedOpen = writing && !cmd.finalFlag() && !params.initialR2T() && immediate < unsolicitedLimit;
        if (immediate == edtl && writing) {
            task.buffer = cmd.data(); // all data came as immediate data: the decoder's array is the buffer
        } else if (immediate > 0 || task.unsolicitedOpen) {
            task.buffer = new byte[(int) edtl];
            System.arraycopy(cmd.data(), 0, task.buffer, 0, immediate);
        }
        if (task.buffer != null) {
            task.reserved = edtl;
            budget.charge(edtl); // unsolicited data cannot be refused
        }
        task.received = immediate;
        task.nextR2tOffset = task.received;
        s.tasks().put(task.itt, task);
        return true;
    }

    /** The command's CmdSN was reached (or it is immediate): start R2Ts or submit. */
    boolean ordered(ScsiCommandPdu cmd) {
        CommandTask task = conn.session().tasks().get(cmd.initiatorTaskTag());
        if (task == null || task.command != cmd || task.aborted) {
            return true; // refused on arrival (its CmdSN is merely consumed), aborted, or another command's tag
        }
        synchronized (task) {
            task.ordered = true;
            proceed(task);
        }
        submitIfReady(task);
        return true;
    }

    /** Handles a Data-Out PDU. Returns false after a fatal protocol error (the connection closes). */
    boolean dataOut(DataOutPdu d, byte[] header) {
        CommandTask task = conn.session().tasks().get(d.initiatorTaskTag());
        if (task == null) {
            LOG.debug("Data-Out for unknown task 0x{}", Integer.toHexString(d.initiatorTaskTag()));
            return true;
        }
        boolean keep;
        synchronized (task) {
            keep = dataOut(task, d, header);
        }
        if (task.aborted) {
            releaseBudget(budget, task); // outside the task's monitor: release may resume other tasks
        }
        submitIfReady(task);
        return keep;
    }

    private boolean dataOut(CommandTask task, DataOutPdu d, byte[] header) {
        if (task.aborted || task.submitted) {
            LOG.debug("Data-Out for finished task 0x{}", Integer.toHexString(d.initiatorTaskTag()));
            return true;
        }
        int len = d.data().length;
        int offset = d.bufferOffset();
        if (!task.writing()) {
            return violation(task, header, "RFC 7143 §11.7: Data-Out for a command without W bit");
        }
        if (d.targetTransferTag() == Bhs.RESERVED_TAG) {
            if (!task.unsolicitedOpen) {
                return violation(task, header, "RFC 7143 §13.10: unsolicited Data-Out not allowed here");
            }
            if (d.dataSN() != task.nextUnsolicitedDataSN) {
                return violation(task, header, "RFC 7143 §11.7.5: DataSN " + d.dataSN() + " expected "
                        + task.nextUnsolicitedDataSN);
            }
            if (offset != task.received || len > task.unsolicitedLimit - offset) {
                return violation(task, header, "RFC 7143 §11.7.6: unsolicited BufferOffset/length out of sequence");
            }
            System.arraycopy(d.data(), 0, task.buffer, offset, len);
            task.received += len;
            task.nextUnsolicitedDataSN++;
            if (d.finalFlag() || task.received >= task.unsolicitedLimit) {
                task.unsolicitedOpen = false;
                task.nextR2tOffset = task.received;
            }
        } else {
            CommandTask.R2tState r2t = task.outstanding.get(d.targetTransferTag());
            if (r2t == null) {
                return violation(task, header, "RFC 7143 §11.7.4: unknown Target Transfer Tag");
            }
            if (d.dataSN() != r2t.nextDataSN) {
                return violation(task, header, "RFC 7143 §11.7.5: DataSN " + d.dataSN() + " expected " + r2t.nextDataSN);
            }
            if (offset != r2t.nextOffset || len > r2t.offset + r2t.length - offset) {
                return violation(task, header, "RFC 7143 §11.7.6: BufferOffset " + offset + "+" + len
                        + " outside the R2T's sequence");
            }
            System.arraycopy(d.data(), 0, task.buffer, offset, len);
            task.received += len;
            r2t.nextOffset += len;
            r2t.nextDataSN++;
            boolean complete = r2t.nextOffset == r2t.offset + r2t.length;
            if (d.finalFlag() && !complete) {
                return violation(task, header, "RFC 7143 §11.7.1: F bit before the R2T's data was complete");
            }
            if (complete) {
                task.outstanding.remove(r2t.ttt);
            }
        }
        proceed(task);
        return true;
    }

    /**
     * A Data-Out broke the sequencing rules. ERL 0 has no within-command recovery: the PDU is rejected and the
     * command ends at once with iSCSI Response "target failure" (no sense: the transport never fabricates SCSI
     * sense); later Data-Out for it are ignored. The connection stays up.
     */
    /** A Data-Out arrived with a bad data digest (already rejected): at ERL 0 its command fails. */
    void failTaskOf(int itt) {
        CommandTask task = conn.session().tasks().get(itt);
        if (task == null) {
            return;
        }
        synchronized (task) {
            if (task.submitted || task.aborted) {
                return;
            }
            task.aborted = true;
            if (conn.session().tasks().remove(task.itt, task)) {
                sendTargetFailure(task.itt, task.nextR2tSN);
            }
        }
        releaseBudget(budget, task);
    }

    /** Ends a command with iSCSI Response "target failure" (no sense: the transport never fabricates sense). */
    void sendTargetFailure(int itt, int expDataSN) {
        conn.session().refreshWindow();
        conn.sink().send(new ScsiResponsePdu(false, false, false, false, ScsiResponsePdu.TARGET_FAILURE,
                ScsiResult.CHECK_CONDITION, itt, 0, 0, 0, expDataSN, 0, 0, Pdu.NO_BYTES));
    }

    private boolean violation(CommandTask task, byte[] header, String rule) {
        conn.reject(RejectReason.PROTOCOL_ERROR, header, rule);
        task.aborted = true; // the caller returns its write budget once out of the task's monitor
        if (conn.session().tasks().remove(task.itt, task)) {
            sendTargetFailure(task.itt, task.nextR2tSN);
        }
        return true;
    }

    private void proceed(CommandTask task) {
        if (!task.ordered || task.aborted || task.submitted) {
            return;
        }
        if (!task.allDataReceived()) {
            if (!task.unsolicitedOpen) {
                solicit(task);
            }
            return;
        }
        task.submitted = true;
        task.readyToSubmit = true; // submitted by the caller once out of the monitor
    }

    private void submitIfReady(CommandTask task) {
        synchronized (task) {
            if (!task.readyToSubmit) {
                return;
            }
            task.readyToSubmit = false;
        }
        submit(task);
    }

    private void solicit(CommandTask task) {
        if (task.buffer == null) {
            if (!budget.acquireOrWait(task.expectedLength, () -> resume(task))) {
                return; // R2Ts wait for memory; resume() retries when some is released
            }
            task.reserved = task.expectedLength;
            task.buffer = new byte[task.expectedLength];
        }
        while (task.outstanding.size() < params.maxOutstandingR2T() && task.nextR2tOffset < task.expectedLength) {
            int len = Math.min(params.maxBurstLength(), task.expectedLength - task.nextR2tOffset);
            int ttt = conn.nextTargetTransferTag();
            CommandTask.R2tState r2t = new CommandTask.R2tState(ttt, task.nextR2tOffset, len);
            task.outstanding.put(ttt, r2t);
            conn.sink().send(new R2tPdu(task.command.lun(), task.itt, ttt, 0, 0, 0, task.nextR2tSN++,
                    task.nextR2tOffset, len));
            task.nextR2tOffset += len;
        }
    }

    /** Budget became available: retry a task that was waiting to solicit its data (any thread). */
    private void resume(CommandTask task) {
        synchronized (task) {
            if (task.aborted || conn.session().isClosed()) {
                return;
            }
            proceed(task);
        }
        submitIfReady(task);
    }

    /** Hands the task to the SCSI core. Called without any task monitor held (the core may complete inline). */
    private void submit(CommandTask task) {
        ScsiCommandPdu cmd = task.command;
        Session s = conn.session();
        ScsiTask st;
        synchronized (task) {
            if (task.aborted) {
                return;
            }
            st = new ScsiTask(s.nexus(), task.lun, cmd.cdb(), TaskAttribute.fromIscsi(cmd.attribute()),
                    task.itt & 0xffffffffL, cmd.expectedDataTransferLength() & 0xffffffffL, cmd.read(),
                    cmd.write(), task.buffer, task.received, result -> complete(task, result));
            task.scsiTask = st;
        }
        try {
            s.target().core().submit(st);
        } catch (RuntimeException e) {
            // the contract says submit never throws; if it does, the command fails alone, not the connection
            LOG.warn("{}: SCSI core refused task {}", s, st, e);
            if (s.tasks().remove(task.itt, task)) {
                releaseBudget(budget, task);
                sendTargetFailure(task.itt, task.nextR2tSN);
            }
        }
    }

    private void complete(CommandTask task, ScsiResult result) {
        conn.session().tasks().remove(task.itt, task);
        conn.session().refreshWindow(); // before the response is stamped, so it carries the reopened window
        releaseBudget(budget, task);
        synchronized (task) { // decides, against a racing ABORT TASK, whether this task answers or was aborted
            if (result.aborted() || task.aborted) {
                result.releaseData(); // no PDU refers to it
                return; // RFC 7143 §11.5.1: no response for an aborted task
            }
            task.responded = true;
        }
        ScsiCommandPdu cmd = task.command;
        List<TargetPdu> pdus = responses.build(result, task.itt, cmd.lun(),
                cmd.expectedDataTransferLength() & 0xffffffffL, cmd.read(), cmd.write(), task.received,
                task.nextR2tSN);
        if (result.pooledDataIn() == null) {
            conn.sink().sendAll(pdus);
        } else {
            conn.sink().sendAll(pdus, result::releaseData);
        }
    }

    /**
     * Aborts a task unless its response is already being sent (then returns false): one this transport still owns (not yet submitted) is dropped and its memory returned; a
     * submitted one is flagged, and the SCSI core completes it as aborted.
     */
    static boolean abortLocally(Session s, CommandTask task) {
        boolean owned;
        synchronized (task) {
            if (task.responded) {
                return false; // its response is already on the wire: too late to abort
            }
            task.aborted = true;
            ScsiTask st = task.scsiTask;
            owned = st == null;
            if (owned) {
                s.tasks().remove(task.itt, task);
            } else {
                st.abort();
            }
        }
        if (owned) {
            releaseBudget(s.writeBudget(), task);
        }
        return true;
    }

    /** Returns the task's reservation once. Never call while holding a task's monitor. */
    private static void releaseBudget(WriteBudget budget, CommandTask task) {
        long n;
        synchronized (task) {
            n = task.reserved;
            task.reserved = 0;
        }
        if (n > 0) {
            budget.release(n);
        }
    }

    boolean handleCommand(InitiatorPdu pdu, byte[] header) {
        return arrive((ScsiCommandPdu) pdu, header);
    }
}
