package org.remaptarget.target.pdu;

/** A PDU an initiator sends. Those carrying a CmdSN expose it with their immediate flag. */
public sealed interface InitiatorPdu extends Pdu permits ScsiCommandPdu, DataOutPdu, NopOutPdu, LoginRequestPdu,
        TextRequestPdu, LogoutRequestPdu, TaskMgmtRequestPdu, SnackRequestPdu {

    /** CmdSN, or the unused field value for Data-Out and SNACK. */
    int cmdSN();

    boolean immediate();

    int expStatSN();
}
