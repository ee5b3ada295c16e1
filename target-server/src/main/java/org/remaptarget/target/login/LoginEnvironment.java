package org.remaptarget.target.login;

import java.util.Optional;

/**
 * What a login needs from the server, implemented by the connection layer: target lookup and session admission
 * (TSIH assignment, reinstatement, connection limits). Called from the connection's reader thread.
 */
public interface LoginEnvironment {

    /** The alias of the named target (empty string when it has none), or empty when no such target exists. */
    Optional<String> targetAlias(String targetName);

    /**
     * Called once, when the login is about to enter full feature phase: creates or joins the session (closing a
     * session this one reinstates) and returns the TSIH, or refuses with a status.
     */
    Admission admit(LoginIdentity identity, NegotiatedParameters parameters);
}
