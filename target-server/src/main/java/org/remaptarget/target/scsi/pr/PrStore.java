package org.remaptarget.target.scsi.pr;

import java.io.IOException;

/**
 * Where one logical unit keeps its persistent reservation image (APTPL, SPC-4 §5.13.5): an opaque byte array
 * written whole. {@link #save} must be atomic — after a crash, {@link #load} returns either the previous image or
 * the new one, never a mix.
 */
public interface PrStore {
    /** The last saved image, or null when nothing was ever saved. */
    byte[] load() throws IOException;

    /** Replaces the image durably; returns only once it would survive a power loss. */
    void save(byte[] image) throws IOException;
}
