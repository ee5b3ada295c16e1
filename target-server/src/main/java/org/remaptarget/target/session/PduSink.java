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

    /**
     * Sends the PDUs back to back, then runs {@code afterWritten} once every one of them has been written to the
     * socket (or, when the connection fails or closes, once none of them can be written any more). It runs at
     * most once. A sink that cannot tell never runs it (a pooled buffer is then left to the GC, never returned
     * early).
     */
    default void sendAll(List<TargetPdu> pdus, Runnable afterWritten) {
        sendAll(pdus);
    }

    /** Closes the connection (asynchronously safe; idempotent). */
    void close(String reason);
}
