package org.remaptarget.target.config;

/**
 * The {@code limits:} section: each value null when not configured (the server's default applies). Durations in
 * seconds, sizes in bytes.
 */
public record LimitsConfig(Integer maxSessions, Integer maxSessionsPerTarget, Integer maxConnectionsPerSession,
                           Integer commandWindow, Integer maxRecvDataSegmentLength, Integer loginTimeoutSeconds,
                           Integer nopInIntervalSeconds, Integer nopInTimeoutSeconds, Long maxWriteBufferBytes) {
    public static final LimitsConfig DEFAULTS = new LimitsConfig(null, null, null, null, null, null, null, null,
            null);
}
