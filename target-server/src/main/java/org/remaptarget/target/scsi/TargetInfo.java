package org.remaptarget.target.scsi;

import java.util.List;

/** What target-wide commands (REPORT LUNS, REPORT SUPPORTED OPERATION CODES) may see of the target. */
public interface TargetInfo {
    String targetName();

    /** The LUN numbers, ascending. */
    List<Long> lunNumbers();

    /** The command table (for REPORT SUPPORTED OPERATION CODES). */
    CommandTable commands();

    /** Direct buffers for large Data-In transfers, or null when reads use plain arrays. */
    default DataBufferPool dataBuffers() {
        return null;
    }
}
