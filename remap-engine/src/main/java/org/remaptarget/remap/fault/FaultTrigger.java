package org.remaptarget.remap.fault;

/**
 * When a matching call fires a rule. Every trigger is deterministic: counts, seeds and an injected clock, never
 * wall-clock randomness.
 */
public sealed interface FaultTrigger {

    /** Every matching call fires. */
    record Always() implements FaultTrigger {
    }

    /** About one matching call in {@code n} fires, drawn from a generator seeded with {@code seed}. */
    record OneIn(long n, long seed) implements FaultTrigger {
        public OneIn {
            if (n < 1) {
                throw new IllegalArgumentException("n must be at least 1, not " + n);
            }
        }
    }

    /** The first {@code n} matching calls pass; every later one fires. */
    record AfterCalls(long n) implements FaultTrigger {
        public AfterCalls {
            if (n < 0) {
                throw new IllegalArgumentException("n must not be negative: " + n);
            }
        }
    }

    /**
     * dm-dust: every block of the rule's range starts bad. Reads of a bad block fire; a write to a bad block fires
     * {@code writeFailures} times and then succeeds and heals that block (it never fires again).
     */
    record FailThenHealOnWrite(int writeFailures) implements FaultTrigger {
        public FailThenHealOnWrite {
            if (writeFailures < 0) {
                throw new IllegalArgumentException("writeFailures must not be negative: " + writeFailures);
            }
        }
    }

    /**
     * dm-flakey: measured on the injected clock from the moment the rule is added, the device is up (calls pass)
     * for {@code upNanos}, then down (calls fire) for {@code downNanos}, repeating.
     */
    record Flakey(long upNanos, long downNanos) implements FaultTrigger {
        public Flakey {
            if (upNanos < 0 || downNanos <= 0) {
                throw new IllegalArgumentException("need upNanos >= 0 and downNanos > 0");
            }
        }
    }
}
