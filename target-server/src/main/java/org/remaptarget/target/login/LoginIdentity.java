package org.remaptarget.target.login;

/**
 * Who is logging in, as established by the login's first request.
 *
 * @param initiatorName the InitiatorName key
 * @param initiatorAlias the InitiatorAlias key or null
 * @param isid          the initiator's session id
 * @param tsih          0 for a new session, else the session to join
 * @param cid           the connection id
 * @param targetName    the TargetName key (null for discovery)
 * @param discovery     SessionType=Discovery
 */
public record LoginIdentity(String initiatorName, String initiatorAlias, long isid, int tsih, int cid,
                            String targetName, boolean discovery) {
}
