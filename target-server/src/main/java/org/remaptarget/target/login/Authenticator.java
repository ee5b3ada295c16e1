package org.remaptarget.target.login;

import java.util.List;

import org.remaptarget.target.text.KeyValue;

/**
 * The security-stage hook (CHAP plugs in here). {@link #methods()} lists the AuthMethod values accepted, in
 * preference order; once AuthMethod is agreed, {@link #exchange} sees the remaining security keys of each request.
 */
public interface Authenticator {

    /** AuthMethod values this target accepts, in preference order (e.g. "CHAP,None"). */
    String methods();

    /** Result of one security exchange step. */
    record Step(List<KeyValue> response, boolean done, boolean failed) {
    }

    /** Handles the security keys of one request once {@code method} was agreed. */
    Step exchange(String method, LoginIdentity identity, List<KeyValue> keys);

    /** No authentication: only AuthMethod=None is accepted, and the security stage completes at once. */
    static Authenticator none() {
        return new Authenticator() {
            @Override
            public String methods() {
                return "None";
            }

            @Override
            public Step exchange(String method, LoginIdentity identity, List<KeyValue> keys) {
                return new Step(List.of(), true, !keys.isEmpty());
            }
        };
    }
}
