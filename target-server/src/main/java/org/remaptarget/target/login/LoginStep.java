package org.remaptarget.target.login;

import org.remaptarget.target.pdu.LoginResponsePdu;

/**
 * The state machine's answer to one Login Request: the response to send (StatSN is stamped by the connection) and
 * what happens next.
 */
public record LoginStep(LoginResponsePdu response, Next next, NegotiatedParameters parameters, String reason) {
    public enum Next {
        /** Wait for the next Login Request. */
        CONTINUE,
        /** Enter full feature phase after sending the response; {@link #parameters()} is set. */
        FULL_FEATURE,
        /** Send the (error) response and close the connection; {@link #reason()} says why. */
        CLOSE
    }
}
