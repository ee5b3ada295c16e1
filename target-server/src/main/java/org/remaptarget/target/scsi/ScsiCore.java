package org.remaptarget.target.scsi;

import java.util.List;

/**
 * The SCSI target device as the transport sees it: one instance per target (a set of logical units). The transport
 * submits tasks and task management functions; it never interprets a CDB. Implementations are thread-safe.
 */
public interface ScsiCore {

    /**
     * Queues a task for execution. Returns at once; {@link ScsiTask#complete(ScsiResult)} is called exactly once
     * later, from any thread (possibly the caller's). Never throws for bad input: a bad CDB, LUN or data length
     * completes with CHECK CONDITION.
     */
    void submit(ScsiTask task);

    /**
     * Performs a task management function and returns when it is complete: every task it aborts has been
     * completed as aborted (no further I/O from it will happen).
     *
     * @param nexus         the nexus that issued the function
     * @param function      the function
     * @param lun           the LUN it addresses (ignored by target resets)
     * @param referencedTag for ABORT TASK / QUERY TASK: the task tag it refers to
     */
    TmfResponse taskManagement(Nexus nexus, TaskManagementFunction function, long lun, long referencedTag);

    /**
     * The nexus is gone (connection dropped or session closed): abort its tasks and forget its per-nexus state
     * that SPC says does not survive (not registrations or persistent reservations).
     */
    void nexusLost(Nexus nexus);

    /** The LUNs this nexus may address, ascending. */
    List<Long> luns(Nexus nexus);
}
