/**
 * Text keys (RFC 7143 §6, §13): the {@code key=value\0} codec with its limits, the key table (phase, scope, result
 * function, range, default of every key) and the {@link org.remaptarget.target.text.Negotiator} that answers
 * offers. A leaf package: imports nothing else of this project.
 */
package org.remaptarget.target.text;
