package org.remaptarget.remap.engine;

/**
 * Behaviour switches of the remapping engine.
 *
 * @param readRetries           extra attempts of a failing block read before it is reported and marked pending
 * @param autoReallocateOnWrite AWRE: a write error is healed by moving the block to a spare (on) or reported as a
 *                              write medium error (off)
 * @param autoReallocateOnRead  ARRE: a block that could be read only on a retry is moved to a spare at once, its
 *                              data re-read under the block's lock (on), or left in place (off)
 */
public record EngineOptions(int readRetries, boolean autoReallocateOnWrite, boolean autoReallocateOnRead) {

    public EngineOptions {
        if (readRetries < 0 || readRetries > 100) {
            throw new IllegalArgumentException("read retries must be 0..100, not " + readRetries);
        }
    }

    /** Read reallocation off. */
    public EngineOptions(int readRetries, boolean autoReallocateOnWrite) {
        this(readRetries, autoReallocateOnWrite, false);
    }

    /** Two read retries, AWRE on, ARRE off. */
    public static EngineOptions defaults() {
        return new EngineOptions(2, true, false);
    }

    public EngineOptions withReadRetries(int n) {
        return new EngineOptions(n, autoReallocateOnWrite, autoReallocateOnRead);
    }

    public EngineOptions withAutoReallocateOnWrite(boolean on) {
        return new EngineOptions(readRetries, on, autoReallocateOnRead);
    }

    public EngineOptions withAutoReallocateOnRead(boolean on) {
        return new EngineOptions(readRetries, autoReallocateOnWrite, on);
    }
}
