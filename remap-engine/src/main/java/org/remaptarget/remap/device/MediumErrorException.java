package org.remaptarget.remap.device;

import java.io.IOException;

/** A block could not be read (or written) and its address is known: the SCSI layer reports it as 11/00 or 0C/00. */
public class MediumErrorException extends IOException {
    private static final long serialVersionUID = 1L;
    private final long lba;
    private final boolean write;

    public MediumErrorException(long lba, boolean write, String message) {
        super(message);
        this.lba = lba;
        this.write = write;
    }

    public MediumErrorException(long lba, boolean write) {
        this(lba, write, (write ? "write" : "read") + " error at LBA " + lba);
    }

    /** The first LBA that failed. */
    public long lba() {
        return lba;
    }

    /** True when the failed operation was a write. */
    public boolean isWrite() {
        return write;
    }
}
