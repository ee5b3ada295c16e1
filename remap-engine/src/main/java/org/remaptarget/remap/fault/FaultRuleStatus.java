package org.remaptarget.remap.fault;

/** A snapshot of an installed rule: its id, definition, matching calls seen and firings so far. */
public record FaultRuleStatus(long id, FaultRule rule, long matchingCalls, long firings) {
}
