package org.remaptarget.remap.stats;

/** Volume health, from spare consumption. */
public enum Health {
    /** Spare use at or below the threshold. */
    OK,
    /** Spare use above the threshold: plan a replacement. */
    DEGRADED,
    /** No spare left: the next failing write cannot be reallocated. */
    FAILED
}
