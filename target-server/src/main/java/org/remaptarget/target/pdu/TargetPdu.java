package org.remaptarget.target.pdu;

/**
 * A PDU a target sends. The connection's writer stamps StatSN/ExpCmdSN/MaxCmdSN at send time (so wire order and
 * StatSN order agree) through {@link #withNumbers}.
 */
public sealed interface TargetPdu extends Pdu permits ScsiResponsePdu, DataInPdu, R2tPdu, NopInPdu,
        LoginResponsePdu, TextResponsePdu, LogoutResponsePdu, TaskMgmtResponsePdu, RejectPdu, AsyncMessagePdu {

    /** A copy carrying these sequence numbers. */
    TargetPdu withNumbers(int statSN, int expCmdSN, int maxCmdSN);

    /** True when sending this PDU consumes a StatSN (status-bearing PDUs). */
    boolean advancesStatSN();
}
