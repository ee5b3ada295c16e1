package org.remaptarget.remap.stats;

/**
 * Told about remap-engine events. Called on the I/O thread that caused the event, after the change is durable;
 * implementations must be quick and must not call back into the volume's I/O. Exceptions are logged and ignored.
 */
public interface VolumeListener {

    /** {@code lba} now lives on {@code spare}; {@code previousSpare} is the spare it left, or -1. */
    default void remapped(long lba, long spare, long previousSpare, String reason) {
    }

    /** {@code lba} could not be read and is pending reallocation. */
    default void pendingMarked(long lba) {
    }

    /** {@code lba} is no longer pending. */
    default void pendingCleared(long lba) {
    }

    /** {@code spare} failed and will never be used again. */
    default void spareRetired(long spare) {
    }

    /** Health moved from {@code from} to {@code to}. */
    default void healthChanged(Health from, Health to) {
    }
}
