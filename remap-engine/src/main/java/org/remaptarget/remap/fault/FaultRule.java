package org.remaptarget.remap.fault;

import java.util.EnumSet;
import java.util.Set;

/**
 * One fault-injection rule: which operations on which blocks, when it fires, what it does, and how many times at
 * most. Immutable; its run-time state (call and firing counts, trigger state) lives in the device that holds it.
 *
 * @param ops         operations matched
 * @param firstLba    first block of the matched range (ignored for FLUSH, which has no range)
 * @param blocks      number of blocks of the range; {@link Long#MAX_VALUE} for "to the end of the device"
 * @param trigger     when a matching call fires
 * @param outcome     what a firing does
 * @param maxFirings  the rule goes inert after this many firings; 0 means unlimited
 */
public record FaultRule(Set<FaultOp> ops, long firstLba, long blocks, FaultTrigger trigger, FaultOutcome outcome,
                        long maxFirings) {

    public FaultRule {
        if (ops.isEmpty()) {
            throw new IllegalArgumentException("a rule must match at least one operation");
        }
        if (firstLba < 0 || blocks < 1) {
            throw new IllegalArgumentException("bad LBA range [" + firstLba + ", +" + blocks + ")");
        }
        if (maxFirings < 0) {
            throw new IllegalArgumentException("maxFirings must not be negative");
        }
        ops = Set.copyOf(EnumSet.copyOf(ops));
    }

    /** A rule matching {@code op} on {@code [firstLba, firstLba+blocks)}, always firing, unlimited. */
    public static FaultRule of(FaultOp op, long firstLba, long blocks, FaultOutcome outcome) {
        return new FaultRule(EnumSet.of(op), firstLba, blocks, new FaultTrigger.Always(), outcome, 0);
    }

    /** A rule matching {@code op} on every block. */
    public static FaultRule everywhere(FaultOp op, FaultTrigger trigger, FaultOutcome outcome) {
        return new FaultRule(EnumSet.of(op), 0, Long.MAX_VALUE, trigger, outcome, 0);
    }

    public FaultRule withTrigger(FaultTrigger t) {
        return new FaultRule(ops, firstLba, blocks, t, outcome, maxFirings);
    }

    public FaultRule withMaxFirings(long n) {
        return new FaultRule(ops, firstLba, blocks, trigger, outcome, n);
    }

    public FaultRule withOps(Set<FaultOp> o) {
        return new FaultRule(o, firstLba, blocks, trigger, outcome, maxFirings);
    }

    /** Exclusive end of the range, saturating. */
    public long endLba() {
        return blocks > Long.MAX_VALUE - firstLba ? Long.MAX_VALUE : firstLba + blocks;
    }
}
