package org.remaptarget.target.scsi;

/**
 * An I_T nexus: one initiator port talking to one target port. For iSCSI the initiator port is
 * {@code InitiatorName + ",i,0x" + ISID} and the target port {@code TargetName + ",t,0x" + TPGT} (RFC 7143 §4.4.2).
 * Transport-neutral: the SCSI core only compares nexuses and uses their names for reservations and unit attentions.
 *
 * @param initiatorName the initiator's iSCSI name (or other transport's initiator name)
 * @param isid          the 48-bit session identifier of the initiator port
 * @param targetName    the target's name
 * @param tpgt          the target portal group tag
 * @param sessionId     a server-unique id of the session carrying this nexus (distinguishes reinstated sessions)
 */
public record Nexus(String initiatorName, long isid, String targetName, int tpgt, long sessionId) {

    /** The SCSI initiator port name (SPC-4 TransportID form for iSCSI). */
    public String initiatorPort() {
        return initiatorName + ",i,0x" + String.format("%012x", isid);
    }

    /** The SCSI target port name. */
    public String targetPort() {
        return targetName + ",t,0x" + String.format("%04x", tpgt);
    }

    /** True when both name the same initiator port and target port (whatever the session). */
    public boolean samePorts(Nexus other) {
        return other != null && initiatorName.equals(other.initiatorName) && isid == other.isid
                && targetName.equals(other.targetName) && tpgt == other.tpgt;
    }
}
