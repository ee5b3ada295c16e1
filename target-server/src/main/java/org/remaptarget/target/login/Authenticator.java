package org.remaptarget.target.login;

import java.net.InetSocketAddress;
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

    /**
     * The authenticator for one login on a connection from {@code remote} (per-login state such as a CHAP
     * challenge lives in the returned instance). The default shares this stateless instance.
     */
    default Authenticator forLogin(InetSocketAddress remote) {
        return this;
    }

    /** AuthMethod values accepted for this initiator and target (the login's first request), preference order. */
    default String methods(LoginIdentity identity) {
        return methods();
    }

    /**
     * Whether this initiator (from this login's source address) may log in to the target it names (or to a
     * discovery session): SUCCESS or AUTHORIZATION_FAILURE (0202).
     */
    default LoginStatus authorize(LoginIdentity identity) {
        return LoginStatus.SUCCESS;
    }

    /** Whether a discovery session of this login may see {@code targetName} in SendTargets. */
    default boolean mayDiscover(LoginIdentity identity, String targetName) {
        return true;
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
