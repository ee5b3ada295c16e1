package org.remaptarget.remap.device;

/** A write to a failing block could not be redirected because no spare extent is left (SCSI 0C/02). */
public class ReallocationFailedException extends MediumErrorException {
    private static final long serialVersionUID = 1L;

    public ReallocationFailedException(long lba) {
        super(lba, true, "write error at LBA " + lba + " and no spare block is left to reallocate it");
    }
}
