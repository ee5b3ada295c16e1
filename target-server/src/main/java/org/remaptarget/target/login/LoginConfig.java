package org.remaptarget.target.login;

import java.util.Map;

/**
 * The target's side of every login: its key values (limits, preferences, declarations; see
 * {@link org.remaptarget.target.text.Negotiator}), portal group tag, command window depth and authenticator.
 */
public record LoginConfig(Map<String, String> targetKeyValues, int portalGroupTag, int commandWindow,
                          int maxLoginTextLength, Authenticator authenticator) {
    public LoginConfig {
        targetKeyValues = Map.copyOf(targetKeyValues);
    }
}
