package org.remaptarget.remap.engine;

/**
 * Behaviour switches of the remapping engine.
 *
 * @param readRetries           extra attempts of a failing block read before it is reported and marked pending
 * @param autoReallocateOnWrite AWRE: a write error is healed by moving the block to a spare (on) or reported as a
 *                              write medium error (off)
 */
public record EngineOptions(int readRetries, boolean autoReallocateOnWrite) {

    public EngineOptions {
        if (readRetries < 0 || readRetries > 100) {
            throw new IllegalArgumentException("read retries must be 0..100, not " + readRetries);
        }
    }

    /** Two read retries, AWRE on. */
    public static EngineOptions defaults() {
        return new EngineOptions(2, true);
    }

    public EngineOptions withReadRetries(int n) {
        return new EngineOptions(n, autoReallocateOnWrite);
    }

    public EngineOptions withAutoReallocateOnWrite(boolean on) {
        return new EngineOptions(readRetries, on);
    }
}
