package org.remaptarget.target.lun;

/**
 * A {@link ImageStore} in memory: survives a "restart" (a new logical unit over the same store object) but not the
 * process. The default for logical units built without a store, and the test double. Thread-safe.
 */
public final class MemoryImageStore implements ImageStore {
    private byte[] image;
    private int saves;

    @Override
    public synchronized byte[] load() {
        return image == null ? null : image.clone();
    }

    @Override
    public synchronized void save(byte[] next) {
        image = next.clone();
        saves++;
    }

    /** How many times {@link #save} was called. */
    public synchronized int saves() {
        return saves;
    }
}
