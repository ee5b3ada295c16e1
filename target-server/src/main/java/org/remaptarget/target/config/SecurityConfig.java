package org.remaptarget.target.config;

/**
 * Server-wide security settings: discovery access, whether CHAP may use MD5 (libiscsi 1.19 and QEMU speak only
 * MD5), and the limits.
 */
public record SecurityConfig(AccessConfig discovery, boolean chapAllowMd5, LimitsConfig limits) {
    public static final SecurityConfig DEFAULTS = new SecurityConfig(AccessConfig.OPEN, false, LimitsConfig.DEFAULTS);
}
