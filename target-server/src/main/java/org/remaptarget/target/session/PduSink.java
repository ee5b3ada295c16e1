package org.remaptarget.target.session;

import java.util.List;

import org.remaptarget.target.pdu.TargetPdu;

/**
 * Where a session sends PDUs: one connection's serialised writer. Thread-safe; stamps StatSN, ExpCmdSN and MaxCmdSN
 * at send time. Sending on a closed connection is a silent no-op.
 */
public interface PduSink {
    void send(TargetPdu pdu);

    /** Sends the PDUs back to back (no other PDU interleaves). */
    void sendAll(List<TargetPdu> pdus);

    /** Closes the connection (asynchronously safe; idempotent). */
    void close(String reason);
}
