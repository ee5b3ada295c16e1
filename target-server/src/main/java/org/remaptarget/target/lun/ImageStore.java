package org.remaptarget.target.lun;

import java.io.IOException;

/**
 * Where one logical unit keeps one piece of state that must survive a restart (its APTPL persistent reservations,
 * SPC-4 §5.13.5; an unfinished SANITIZE, SBC-3 §4.11): an opaque byte array written whole, one store per piece.
 * {@link #save} must be atomic: after a crash, {@link #load} returns either the previous image or the new one,
 * never a mix.
 */
public interface ImageStore {
    /** The last saved image, or null when nothing was ever saved. */
    byte[] load() throws IOException;

    /** Replaces the image durably; returns only once it would survive a power loss. */
    void save(byte[] image) throws IOException;
}
