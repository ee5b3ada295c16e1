package org.remaptarget.target.scsi.pr;

/**
 * One registration: a registrant and its reservation key (never zero).
 *
 * @param who the registered I_T nexus (or nexuses)
 * @param key the reservation key
 */
public record Registration(Registrant who, long key) {
    public Registration {
        if (key == 0) {
            throw new IllegalArgumentException("a registered key is never zero");
        }
    }

    public Registration withKey(long k) {
        return new Registration(who, k);
    }
}
