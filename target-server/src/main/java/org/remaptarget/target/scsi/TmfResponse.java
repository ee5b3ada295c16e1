package org.remaptarget.target.scsi;

/** Outcome of a task management function (iSCSI response codes, RFC 7143 §11.6.1, in comments). */
public enum TmfResponse {
    FUNCTION_COMPLETE(0),
    TASK_DOES_NOT_EXIST(1),
    LUN_DOES_NOT_EXIST(2),
    TASK_STILL_ALLEGIANT(3),
    TASK_REASSIGNMENT_NOT_SUPPORTED(4),
    FUNCTION_NOT_SUPPORTED(5),
    AUTHORIZATION_FAILED(6),
    FUNCTION_REJECTED(255);

    private final int iscsiCode;

    TmfResponse(int iscsiCode) {
        this.iscsiCode = iscsiCode;
    }

    public int iscsiCode() {
        return iscsiCode;
    }
}
