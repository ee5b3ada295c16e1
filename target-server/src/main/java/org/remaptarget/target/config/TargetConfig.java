package org.remaptarget.target.config;

import java.util.List;

/**
 * One iSCSI target: its name, alias, logical units (LUN numbers unique, ascending) and access rules (CHAP, ACLs,
 * LUN masks; {@link AccessConfig#OPEN} when none are configured).
 */
public record TargetConfig(String iqn, String alias, List<LunConfig> luns, AccessConfig access) {
    public TargetConfig {
        luns = List.copyOf(luns);
        access = access == null ? AccessConfig.OPEN : access;
    }

    /** A target open to every initiator. */
    public TargetConfig(String iqn, String alias, List<LunConfig> luns) {
        this(iqn, alias, luns, AccessConfig.OPEN);
    }
}
