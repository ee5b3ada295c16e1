package org.remaptarget.target.config;

import java.util.List;

/** One iSCSI target: its name, alias and logical units (LUN numbers unique, ascending). */
public record TargetConfig(String iqn, String alias, List<LunConfig> luns) {
    public TargetConfig {
        luns = List.copyOf(luns);
    }
}
