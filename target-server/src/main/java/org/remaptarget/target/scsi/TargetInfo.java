package org.remaptarget.target.scsi;

import java.util.List;

/**
 * What target-wide commands (REPORT LUNS, REPORT SUPPORTED OPERATION CODES, EXTENDED COPY between LUs) may see of
 * the target.
 */
public interface TargetInfo {
    String targetName();

    /** The LUN numbers, ascending. */
    List<Long> lunNumbers();

    /** The command table (for REPORT SUPPORTED OPERATION CODES). */
    CommandTable commands();

    /** The logical unit numbered {@code lun}, or null (EXTENDED COPY resolves its copy targets through this). */
    default org.remaptarget.target.lun.LogicalUnit logicalUnit(long lun) {
        return null;
    }

    /** Direct buffers for large Data-In transfers, or null when reads use plain arrays. */
    default DataBufferPool dataBuffers() {
        return null;
    }
}
