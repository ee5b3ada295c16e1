package org.remaptarget.remap.fault;

/** What a fired rule does to the call. */
public sealed interface FaultOutcome {

    /** The call fails with a plain {@link java.io.IOException} (no block located); nothing is written. */
    record IoError() implements FaultOutcome {
    }

    /**
     * The call fails with a {@link org.remaptarget.remap.device.MediumErrorException} naming the exact failing LBA
     * (the first block of the request inside the rule's range); nothing is written.
     */
    record MediumError() implements FaultOutcome {
    }

    /** The call is delayed by {@code nanos} on the injected clock and then proceeds. */
    record Latency(long nanos) implements FaultOutcome {
    }

    /**
     * Silent corruption: the call succeeds, but blocks inside the rule's range are damaged (the first and last
     * byte of each block inverted), in the data returned by a read or in the data stored by a write.
     */
    record Corrupt() implements FaultOutcome {
    }

    /**
     * A flush reports success without making anything durable: writes since the last honoured flush stay
     * volatile, and are lost by a later power cut.
     */
    record DropFlush() implements FaultOutcome {
    }

    /**
     * The power is cut instead of performing the call: unflushed writes are discarded (all of them, or, when
     * {@code tornWrites} is set, a subset of their blocks chosen by a generator seeded with {@code seed}, which
     * also models torn multi-block writes), the call fails, and every later call fails until
     * {@link FaultInjectingDevice#restorePower()}. Combined with {@code WRITE} and
     * {@link FaultTrigger.AfterCalls}{@code (n)} this is "power cut after n writes".
     */
    record PowerCut(boolean tornWrites, long seed) implements FaultOutcome {
    }
}
