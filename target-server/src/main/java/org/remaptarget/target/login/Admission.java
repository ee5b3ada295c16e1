package org.remaptarget.target.login;

/** The environment's verdict on a login about to enter full feature phase: a status and the session's TSIH. */
public record Admission(LoginStatus status, int tsih) {
    public static Admission admitted(int tsih) {
        return new Admission(LoginStatus.SUCCESS, tsih);
    }

    public static Admission refused(LoginStatus status) {
        return new Admission(status, 0);
    }
}
