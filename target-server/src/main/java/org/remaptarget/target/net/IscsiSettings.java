package org.remaptarget.target.net;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.remaptarget.target.text.KeyTable;

/**
 * Everything the iSCSI transport is configured with: portals, portal group tag, the target's offered values and
 * limits for every negotiable key, command window depth, keep-alive (NOP-In) timing, login timeout and session
 * limits. Immutable; build with {@link #defaults()} and {@link #toBuilder()}.
 *
 * @param portals                   listening addresses (port 0 = ephemeral)
 * @param portalGroupTag            the TPGT of all portals
 * @param maxRecvDataSegmentLength  what we declare we can receive per PDU (512..16777215)
 * @param maxBurstLength            our limit for MaxBurstLength
 * @param firstBurstLength          our limit for FirstBurstLength (≤ maxBurstLength)
 * @param maxOutstandingR2T         our limit for MaxOutstandingR2T
 * @param initialR2T                our InitialR2T preference (false lets the initiator choose unsolicited data)
 * @param immediateData             our ImmediateData preference
 * @param headerDigest              accept CRC32C header digests when offered
 * @param dataDigest                accept CRC32C data digests when offered
 * @param defaultTime2Wait          our DefaultTime2Wait
 * @param defaultTime2Retain        our DefaultTime2Retain
 * @param commandWindow             CmdSN window depth (MaxCmdSN - ExpCmdSN + 1)
 * @param nopInInterval             idle time before a keep-alive NOP-In (zero disables)
 * @param nopInTimeout              time to wait for the NOP-Out answer before dropping the connection
 * @param loginTimeout              time a connection may spend in the login phase
 * @param maxSessions               live normal sessions accepted
 * @param maxConnectionsPerSession  MaxConnections limit (this transport supports 1)
 * @param maxWriteBufferBytes       memory for gathered write data across all sessions; R2Ts wait when it is spent
 */
public record IscsiSettings(List<InetSocketAddress> portals, int portalGroupTag, int maxRecvDataSegmentLength,
                            int maxBurstLength, int firstBurstLength, int maxOutstandingR2T, boolean initialR2T,
                            boolean immediateData, boolean headerDigest, boolean dataDigest, int defaultTime2Wait,
                            int defaultTime2Retain, int commandWindow, Duration nopInInterval,
                            Duration nopInTimeout, Duration loginTimeout, int maxSessions,
                            int maxConnectionsPerSession, long maxWriteBufferBytes, int maxSessionsPerTarget) {

    public IscsiSettings {
        portals = List.copyOf(portals);
        Objects.requireNonNull(nopInInterval);
        Objects.requireNonNull(nopInTimeout);
        Objects.requireNonNull(loginTimeout);
        check(maxRecvDataSegmentLength >= 512 && maxRecvDataSegmentLength <= 16_777_215,
                "MaxRecvDataSegmentLength out of 512..16777215");
        check(maxBurstLength >= 512 && maxBurstLength <= 16_777_215, "MaxBurstLength out of 512..16777215");
        check(firstBurstLength >= 512 && firstBurstLength <= maxBurstLength, "FirstBurstLength not in 512..MBL");
        check(maxOutstandingR2T >= 1 && maxOutstandingR2T <= 65535, "MaxOutstandingR2T out of 1..65535");
        check(commandWindow >= 1 && commandWindow <= 4096, "command window out of 1..4096");
        check(portalGroupTag >= 0 && portalGroupTag <= 65535, "portal group tag out of 0..65535");
        check(maxSessions >= 1, "maxSessions < 1");
        check(maxSessionsPerTarget >= 1, "maxSessionsPerTarget < 1");
        check(maxConnectionsPerSession == 1, "only one connection per session is supported");
        check(defaultTime2Wait >= 0 && defaultTime2Wait <= 3600, "DefaultTime2Wait out of 0..3600");
        check(maxWriteBufferBytes >= 1 << 20, "maxWriteBufferBytes < 1 MiB");
        check(defaultTime2Retain >= 0 && defaultTime2Retain <= 3600, "DefaultTime2Retain out of 0..3600");
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * Port 3260 on every interface; values tuned for Linux open-iscsi and libiscsi. The write buffer budget is a
     * quarter of the heap, at most 512 MiB.
     */
    public static IscsiSettings defaults() {
        return new IscsiSettings(List.of(new InetSocketAddress(3260)), 1, 262_144, 16_776_192, 262_144, 16, false,
                true, true, true, 2, 20, 128, Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(15),
                256, 1, Math.max(16L << 20, Math.min(512L << 20, Runtime.getRuntime().maxMemory() / 4)), 256);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The target's side of each key, as the login negotiator reads it. */
    public Map<String, String> targetKeyValues() {
        Map<String, String> m = new HashMap<>();
        String digests = "None";
        m.put(KeyTable.HEADER_DIGEST, headerDigest ? "None,CRC32C" : digests);
        m.put(KeyTable.DATA_DIGEST, dataDigest ? "None,CRC32C" : digests);
        m.put(KeyTable.MAX_CONNECTIONS, Integer.toString(maxConnectionsPerSession));
        m.put(KeyTable.INITIAL_R2T, initialR2T ? "Yes" : "No");
        m.put(KeyTable.IMMEDIATE_DATA, immediateData ? "Yes" : "No");
        m.put(KeyTable.MAX_RECV_DATA_SEGMENT_LENGTH, Integer.toString(maxRecvDataSegmentLength));
        m.put(KeyTable.MAX_BURST_LENGTH, Integer.toString(maxBurstLength));
        m.put(KeyTable.FIRST_BURST_LENGTH, Integer.toString(firstBurstLength));
        m.put(KeyTable.DEFAULT_TIME2WAIT, Integer.toString(defaultTime2Wait));
        m.put(KeyTable.DEFAULT_TIME2RETAIN, Integer.toString(defaultTime2Retain));
        m.put(KeyTable.MAX_OUTSTANDING_R2T, Integer.toString(maxOutstandingR2T));
        m.put(KeyTable.DATA_PDU_IN_ORDER, "Yes");
        m.put(KeyTable.DATA_SEQUENCE_IN_ORDER, "Yes");
        m.put(KeyTable.ERROR_RECOVERY_LEVEL, "0");
        m.put(KeyTable.OF_MARKER, "No");
        m.put(KeyTable.IF_MARKER, "No");
        m.put(KeyTable.TASK_REPORTING, "RFC3720");
        m.put(KeyTable.PROTOCOL_LEVEL, "1");
        return m;
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private List<InetSocketAddress> portals;
        private int portalGroupTag;
        private int maxRecvDataSegmentLength;
        private int maxBurstLength;
        private int firstBurstLength;
        private int maxOutstandingR2T;
        private boolean initialR2T;
        private boolean immediateData;
        private boolean headerDigest;
        private boolean dataDigest;
        private int defaultTime2Wait;
        private int defaultTime2Retain;
        private int commandWindow;
        private Duration nopInInterval;
        private Duration nopInTimeout;
        private Duration loginTimeout;
        private int maxSessions;
        private int maxConnectionsPerSession;
        private long maxWriteBufferBytes;
        private int maxSessionsPerTarget;

        private Builder(IscsiSettings s) {
            portals = s.portals;
            portalGroupTag = s.portalGroupTag;
            maxRecvDataSegmentLength = s.maxRecvDataSegmentLength;
            maxBurstLength = s.maxBurstLength;
            firstBurstLength = s.firstBurstLength;
            maxOutstandingR2T = s.maxOutstandingR2T;
            initialR2T = s.initialR2T;
            immediateData = s.immediateData;
            headerDigest = s.headerDigest;
            dataDigest = s.dataDigest;
            defaultTime2Wait = s.defaultTime2Wait;
            defaultTime2Retain = s.defaultTime2Retain;
            commandWindow = s.commandWindow;
            nopInInterval = s.nopInInterval;
            nopInTimeout = s.nopInTimeout;
            loginTimeout = s.loginTimeout;
            maxSessions = s.maxSessions;
            maxConnectionsPerSession = s.maxConnectionsPerSession;
            maxWriteBufferBytes = s.maxWriteBufferBytes;
            maxSessionsPerTarget = s.maxSessionsPerTarget;
        }

        public Builder maxWriteBufferBytes(long v) {
            maxWriteBufferBytes = v;
            return this;
        }

        public Builder portals(List<InetSocketAddress> v) {
            portals = v;
            return this;
        }

        public Builder portalGroupTag(int v) {
            portalGroupTag = v;
            return this;
        }

        public Builder maxRecvDataSegmentLength(int v) {
            maxRecvDataSegmentLength = v;
            return this;
        }

        public Builder maxBurstLength(int v) {
            maxBurstLength = v;
            return this;
        }

        public Builder firstBurstLength(int v) {
            firstBurstLength = v;
            return this;
        }

        public Builder maxOutstandingR2T(int v) {
            maxOutstandingR2T = v;
            return this;
        }

        public Builder initialR2T(boolean v) {
            initialR2T = v;
            return this;
        }

        public Builder immediateData(boolean v) {
            immediateData = v;
            return this;
        }

        public Builder headerDigest(boolean v) {
            headerDigest = v;
            return this;
        }

        public Builder dataDigest(boolean v) {
            dataDigest = v;
            return this;
        }

        public Builder defaultTime2Wait(int v) {
            defaultTime2Wait = v;
            return this;
        }

        public Builder defaultTime2Retain(int v) {
            defaultTime2Retain = v;
            return this;
        }

        public Builder commandWindow(int v) {
            commandWindow = v;
            return this;
        }

        public Builder nopIn(Duration interval, Duration timeout) {
            nopInInterval = interval;
            nopInTimeout = timeout;
            return this;
        }

        public Builder loginTimeout(Duration v) {
            loginTimeout = v;
            return this;
        }

        /** Normal sessions allowed per target (all initiators together). */
        public Builder maxSessionsPerTarget(int v) {
            maxSessionsPerTarget = v;
            return this;
        }

        public Builder maxSessions(int v) {
            maxSessions = v;
            return this;
        }

        public IscsiSettings build() {
            return new IscsiSettings(portals, portalGroupTag, maxRecvDataSegmentLength, maxBurstLength,
                    firstBurstLength, maxOutstandingR2T, initialR2T, immediateData, headerDigest, dataDigest,
                    defaultTime2Wait, defaultTime2Retain, commandWindow, nopInInterval, nopInTimeout, loginTimeout,
                    maxSessions, maxConnectionsPerSession, maxWriteBufferBytes, maxSessionsPerTarget);
        }
    }
}
