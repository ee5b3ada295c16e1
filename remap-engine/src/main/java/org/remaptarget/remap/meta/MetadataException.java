package org.remaptarget.remap.meta;

import java.io.IOException;

/**
 * Metadata that cannot be trusted or does not belong to this volume: an unformatted, foreign, mismatched or
 * corrupt device. The message names the device and what is wrong; the volume refuses to open.
 */
public class MetadataException extends IOException {
    private static final long serialVersionUID = 1L;

    public MetadataException(String message) {
        super(message);
    }

    public MetadataException(String message, Throwable cause) {
        super(message, cause);
    }
}
