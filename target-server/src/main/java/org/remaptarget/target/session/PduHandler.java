package org.remaptarget.target.session;

import org.remaptarget.target.pdu.InitiatorPdu;

/** Handles one PDU family in full feature phase; called on the connection's reader thread. */
interface PduHandler {
    /** Returns false when the connection must close after this PDU. */
    boolean handle(InitiatorPdu pdu, byte[] header);
}
