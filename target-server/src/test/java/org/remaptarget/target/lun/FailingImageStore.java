package org.remaptarget.target.lun;

import java.io.IOException;

/** An {@link ImageStore} with nothing saved whose every save fails, as on a full or read-only disk. */
public final class FailingImageStore implements ImageStore {
    @Override
    public byte[] load() {
        return null;
    }

    @Override
    public void save(byte[] image) throws IOException {
        throw new IOException("disk full");
    }
}
