package org.remaptarget.target.session;

import java.util.Objects;

import org.remaptarget.target.scsi.ScsiCore;

/** One target as the transport serves it: its iSCSI name, alias (may be empty) and SCSI core. */
public record TargetEntry(String iqn, String alias, ScsiCore core) {
    public TargetEntry {
        Objects.requireNonNull(iqn);
        alias = alias == null ? "" : alias;
        Objects.requireNonNull(core);
    }
}
