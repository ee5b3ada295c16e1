package org.remaptarget.remap.fault;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A rule installed in a {@link FaultInjectingDevice} and its run-time state: call and firing counters (atomic, read
 * without locking) and trigger state (random generator, dm-dust block states), guarded by the instance monitor.
 */
final class InstalledRule {
    final long id;
    final FaultRule rule;
    final long installedAt;
    final AtomicLong calls = new AtomicLong();
    final AtomicLong firings = new AtomicLong();
    private final SplittableRandom random;
    private final Map<Long, Integer> dustWriteFailuresLeft = new HashMap<>();
    private final Set<Long> dustHealed = new HashSet<>();

    InstalledRule(long id, FaultRule rule, long installedAt) {
        this.id = id;
        this.rule = rule;
        this.installedAt = installedAt;
        this.random = rule.trigger() instanceof FaultTrigger.OneIn o ? new SplittableRandom(o.seed())
                : null;
    }

    /** Decides whether this call fires; returns the LBA to name, or -1 when it does not fire. */
    synchronized long fire(FaultOp op, long from, long to, long now) {
        if (rule.maxFirings() > 0 && firings.get() >= rule.maxFirings()) {
            return -1;
        }
        long call = calls.incrementAndGet();
        long named = -1;
        FaultTrigger t = rule.trigger();
        if (t instanceof FaultTrigger.Always) {
            named = from;
        } else if (t instanceof FaultTrigger.OneIn o) {
            named = random.nextLong(o.n()) == 0 ? from : -1;
        } else if (t instanceof FaultTrigger.AfterCalls a) {
            named = call > a.n() ? from : -1;
        } else if (t instanceof FaultTrigger.Flakey f) {
            long phase = Math.floorMod(now - installedAt, f.upNanos() + f.downNanos());
            named = phase >= f.upNanos() ? from : -1;
        } else if (t instanceof FaultTrigger.FailThenHealOnWrite dust) {
            named = dust(op, from, to, dust.writeFailures());
        }
        if (named >= 0) {
            firings.incrementAndGet();
        }
        return named;
    }

    private long dust(FaultOp op, long from, long to, int writeFailures) {
        if (op == FaultOp.WRITE || op == FaultOp.DISCARD) {
            long failing = -1;
            for (long b = from; b < to; b++) {
                if (dustHealed.contains(b)) {
                    continue;
                }
                int left = dustWriteFailuresLeft.getOrDefault(b, writeFailures);
                if (left > 0 && failing < 0) {
                    dustWriteFailuresLeft.put(b, left - 1);
                    failing = b;
                }
            }
            if (failing >= 0) {
                return failing;
            }
            for (long b = from; b < to; b++) {
                dustHealed.add(b);
                dustWriteFailuresLeft.remove(b);
            }
            return -1;
        }
        if (op == FaultOp.FLUSH) {
            return -1;
        }
        for (long b = from; b < to; b++) {
            if (!dustHealed.contains(b)) {
                return b;
            }
        }
        return -1;
    }
}
