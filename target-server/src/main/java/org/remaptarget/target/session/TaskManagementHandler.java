package org.remaptarget.target.session;

import java.util.List;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.remaptarget.target.pdu.InitiatorPdu;
import org.remaptarget.target.pdu.Lun;
import org.remaptarget.target.pdu.TaskMgmtRequestPdu;
import org.remaptarget.target.pdu.TaskMgmtResponsePdu;
import org.remaptarget.target.scsi.TaskManagementFunction;
import org.remaptarget.target.scsi.TmfResponse;

/**
 * Task Management Function requests (RFC 7143 §11.5-6). Tasks this transport still owns (gathering Data-Out or held
 * behind a CmdSN gap) are aborted here; submitted tasks are aborted by the SCSI core, whose
 * {@code taskManagement} returns only after they completed, so the TMF Response always follows the end of every
 * affected task. Aborted tasks get no SCSI Response. ABORT TASK for a command not received yet follows §11.5.1
 * (RefCmdSN inside the window: the CmdSN counts as received, "function complete"; outside: "task does not exist").
 */
final class TaskManagementHandler {
    private static final Logger LOG = LogManager.getLogger(TaskManagementHandler.class);

    private static final TaskManagementFunction[] FUNCTIONS = {
        null, TaskManagementFunction.ABORT_TASK, TaskManagementFunction.ABORT_TASK_SET,
        TaskManagementFunction.CLEAR_ACA, TaskManagementFunction.CLEAR_TASK_SET,
        TaskManagementFunction.LOGICAL_UNIT_RESET, TaskManagementFunction.TARGET_WARM_RESET,
        TaskManagementFunction.TARGET_COLD_RESET, TaskManagementFunction.TASK_REASSIGN
    };

    private final FullFeatureConnection conn;

    TaskManagementHandler(FullFeatureConnection conn) {
        this.conn = conn;
    }

    boolean handle(InitiatorPdu pdu, byte[] header) {
        TaskMgmtRequestPdu req = (TaskMgmtRequestPdu) pdu;
        Session s = conn.session();
        TmfResponse response;
        boolean closeAfter = false;
        int code = req.function();
        TaskManagementFunction f = code > 0 && code < FUNCTIONS.length ? FUNCTIONS[code] : null;
        if (s.discovery()) {
            response = TmfResponse.FUNCTION_REJECTED;
        } else if (f == null) {
            response = TmfResponse.FUNCTION_NOT_SUPPORTED;
        } else if (f == TaskManagementFunction.TASK_REASSIGN) {
            response = TmfResponse.TASK_REASSIGNMENT_NOT_SUPPORTED; // ERL 0
        } else {
            long lun = Lun.toNumber(req.lun());
            response = switch (f) {
                case ABORT_TASK -> abortTask(s, req, lun);
                case ABORT_TASK_SET, CLEAR_TASK_SET, LOGICAL_UNIT_RESET -> {
                    abortLocal(s, lun, false);
                    yield core(s, f, lun, 0);
                }
                case TARGET_WARM_RESET, TARGET_COLD_RESET -> {
                    abortLocal(s, lun, true);
                    closeAfter = f == TaskManagementFunction.TARGET_COLD_RESET;
                    yield core(s, f, lun, 0);
                }
                default -> core(s, f, lun, 0);
            };
        }
        s.refreshWindow();
        conn.sink().send(new TaskMgmtResponsePdu(response.iscsiCode(), req.initiatorTaskTag(), 0, 0, 0));
        if (closeAfter) {
            s.close("target cold reset"); // RFC 7143 §11.5.1: cold reset drops every connection
            return false;
        }
        return true;
    }

    private TmfResponse abortTask(Session s, TaskMgmtRequestPdu req, long lun) {
        CommandTask task = s.tasks().get(req.referencedTaskTag());
        if (task == null) {
            if (s.window().inWindow(req.refCmdSN())
                    && (req.immediate() || SerialNumber.lessThan(req.refCmdSN(), req.cmdSN()))) {
                conn.deliver(s.window().consume(req.refCmdSN()));
                return TmfResponse.FUNCTION_COMPLETE;
            }
            return TmfResponse.TASK_DOES_NOT_EXIST;
        }
        boolean submitted = task.scsiTask != null;
        if (!ScsiCommandHandler.abortLocally(s, task)) {
            return TmfResponse.TASK_DOES_NOT_EXIST; // it completed and answered before the abort reached it
        }
        if (!submitted) {
            return TmfResponse.FUNCTION_COMPLETE;
        }
        TmfResponse r = core(s, TaskManagementFunction.ABORT_TASK, task.lun, task.itt & 0xffffffffL);
        // the core may have finished the task just before: it is gone either way
        return r == TmfResponse.TASK_DOES_NOT_EXIST ? TmfResponse.FUNCTION_COMPLETE : r;
    }

    private static void abortLocal(Session s, long lun, boolean allLuns) {
        List<CommandTask> tasks = List.copyOf(s.tasks().values());
        for (CommandTask t : tasks) {
            if ((allLuns || t.lun == lun) && t.scsiTask == null) {
                ScsiCommandHandler.abortLocally(s, t);
            }
        }
    }

    private static TmfResponse core(Session s, TaskManagementFunction f, long lun, long tag) {
        try {
            return s.target().core().taskManagement(s.nexus(), f, lun, tag);
        } catch (RuntimeException e) {
            LOG.warn("{}: task management {} failed in the SCSI core", s, f, e);
            return TmfResponse.FUNCTION_REJECTED;
        }
    }
}
