/**
 * The login phase (RFC 7143 §6.3): {@link org.remaptarget.target.login.LoginStateMachine} drives security →
 * operational → full feature per connection and asks a {@link org.remaptarget.target.login.LoginEnvironment} (the
 * connection layer) for targets and session admission. Authentication plugs in through
 * {@link org.remaptarget.target.login.Authenticator}. Depends only on {@code pdu} and {@code text}.
 */
package org.remaptarget.target.login;
