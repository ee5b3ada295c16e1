package org.remaptarget.target.backend;

import org.remaptarget.target.scsi.SenseReason;

/**
 * An error the storage recovered from while completing a command: the RECOVERED ERROR reason and the block it
 * concerns. The command's data was transferred in full; the SCSI layer reports this only when the read-write error
 * recovery page's PER bit is set.
 *
 * @param reason a RECOVERED ERROR sense reason (0C/01, 17/01, 17/06)
 * @param lba    the block, for the INFORMATION field
 */
public record RecoveredError(SenseReason reason, long lba) {
}
