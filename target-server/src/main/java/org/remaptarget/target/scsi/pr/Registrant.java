package org.remaptarget.target.scsi.pr;

import java.util.Objects;
import org.remaptarget.target.scsi.Nexus;

/**
 * The I_T nexus (or set of I_T nexuses) a registration belongs to: an initiator port (iSCSI name plus ISID, or the
 * name alone when registered through a name-only TransportID) and a target port (target name plus portal group
 * tag), or every target port of this target when registered with ALL_TG_PT.
 *
 * @param initiatorName the initiator's iSCSI name (compared case-insensitively, as iSCSI names are)
 * @param isid          the 48-bit ISID, or {@link #ANY_ISID} for every initiator port of that name
 * @param targetName    the target port's target name
 * @param tpgt          the target port's portal group tag
 * @param allTargetPorts registered with ALL_TG_PT: the target port fields only record where it was registered
 */
public record Registrant(String initiatorName, long isid, String targetName, int tpgt, boolean allTargetPorts) {
    /** ISID value meaning "any ISID" (name-only TransportID). */
    public static final long ANY_ISID = -1;

    public Registrant {
        Objects.requireNonNull(initiatorName);
        Objects.requireNonNull(targetName);
    }

    /** The registrant for the I_T nexus {@code n}. */
    public static Registrant of(Nexus n, boolean allTargetPorts) {
        return new Registrant(n.initiatorName(), n.isid(), n.targetName(), n.tpgt(), allTargetPorts);
    }

    /** True when {@code n} is one of the I_T nexuses this registrant names. */
    public boolean matches(Nexus n) {
        return matches(n.initiatorName(), n.isid(), n.targetName(), n.tpgt());
    }

    /** True when the I_T nexus given by its parts is one of the I_T nexuses this registrant names. */
    public boolean matches(String initiator, long portIsid, String target, int portTpgt) {
        return initiatorName.equalsIgnoreCase(initiator) && (isid == ANY_ISID || isid == portIsid)
                && (allTargetPorts || (targetName.equals(target) && tpgt == portTpgt));
    }

    /** True when some I_T nexus is named by both this registrant and {@code o}. */
    public boolean overlaps(Registrant o) {
        return initiatorName.equalsIgnoreCase(o.initiatorName)
                && (isid == ANY_ISID || o.isid == ANY_ISID || isid == o.isid)
                && (allTargetPorts || o.allTargetPorts || (targetName.equals(o.targetName) && tpgt == o.tpgt));
    }

    /** An I_T nexus to address unit attentions to (meaningful for a single-ISID registrant). */
    public Nexus nexus() {
        return new Nexus(initiatorName, isid, targetName, tpgt, 0);
    }
}
