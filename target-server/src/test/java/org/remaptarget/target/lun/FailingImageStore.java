package org.remaptarget.target.lun;

import java.io.IOException;

/** An {@link ImageStore} whose every save fails, as on a full or read-only disk; it loads what it was given. */
public final class FailingImageStore implements ImageStore {
    private final byte[] image;

    /** Nothing saved before. */
    public FailingImageStore() {
        this(null);
    }

    /** {@code image} was saved before the disk filled up. */
    public FailingImageStore(byte[] image) {
        this.image = image == null ? null : image.clone();
    }

    @Override
    public byte[] load() {
        return image == null ? null : image.clone();
    }

    @Override
    public void save(byte[] image) throws IOException {
        throw new IOException("disk full");
    }
}
