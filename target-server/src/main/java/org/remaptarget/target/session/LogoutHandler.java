package org.remaptarget.target.session;

import org.remaptarget.target.pdu.InitiatorPdu;
import org.remaptarget.target.pdu.LogoutRequestPdu;
import org.remaptarget.target.pdu.LogoutResponsePdu;

/**
 * Logout (RFC 7143 §11.14-15): closing the session or this connection (the same thing with one connection per
 * session) answers success and ends the session; removing a connection for recovery is refused at ERL 0.
 */
final class LogoutHandler {
    private final FullFeatureConnection conn;

    LogoutHandler(FullFeatureConnection conn) {
        this.conn = conn;
    }

    boolean handle(InitiatorPdu pdu, byte[] header) {
        LogoutRequestPdu req = (LogoutRequestPdu) pdu;
        int t2w = conn.parameters().defaultTime2Wait();
        if (req.reasonCode() == LogoutRequestPdu.CLOSE_CONNECTION && req.cid() != conn.cid()) {
            conn.sink().send(new LogoutResponsePdu(LogoutResponsePdu.CID_NOT_FOUND, req.initiatorTaskTag(), 0, 0, 0,
                    t2w, 0));
            return true;
        }
        switch (req.reasonCode()) {
            case LogoutRequestPdu.CLOSE_SESSION, LogoutRequestPdu.CLOSE_CONNECTION -> {
                conn.sink().send(new LogoutResponsePdu(LogoutResponsePdu.SUCCESS, req.initiatorTaskTag(), 0, 0, 0,
                        0, 0));
                conn.session().close("logout (reason " + req.reasonCode() + ")");
                return false;
            }
            case LogoutRequestPdu.REMOVE_FOR_RECOVERY -> {
                conn.sink().send(new LogoutResponsePdu(LogoutResponsePdu.RECOVERY_NOT_SUPPORTED,
                        req.initiatorTaskTag(), 0, 0, 0, t2w, 0));
                return true;
            }
            default -> {
                conn.reject(org.remaptarget.target.pdu.RejectReason.INVALID_PDU_FIELD, header,
                        "RFC 7143 §11.14.1: unknown logout reason " + req.reasonCode());
                return true;
            }
        }
    }
}
