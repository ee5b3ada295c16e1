package org.remaptarget.target.lun;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.remaptarget.target.lun.UnitAttentions.PortKey;
import org.remaptarget.target.scsi.ScsiFailure;
import org.remaptarget.target.scsi.SenseReason;

/**
 * SPC-4 persistent reservations of one logical unit (§5.13): registered keys per I_T nexus, the PR generation,
 * and at most one reservation (LU scope) of one of the six types. Kept in memory: they survive LUN and target
 * resets and nexus loss, but not a restart (APTPL is not supported).
 *
 * <p>Invariants: a holder is always registered; for the all-registrants types every registrant is a holder and
 * {@code holder} is null; the generation grows on every change of registrations. Locks: this object's monitor
 * guards everything; {@link #access} reads one volatile when no reservation exists (the hot path).
 */
public final class PersistentReservations {
    public static final int WRITE_EXCLUSIVE = 1;
    public static final int EXCLUSIVE_ACCESS = 3;
    public static final int WRITE_EXCLUSIVE_REGISTRANTS_ONLY = 5;
    public static final int EXCLUSIVE_ACCESS_REGISTRANTS_ONLY = 6;
    public static final int WRITE_EXCLUSIVE_ALL_REGISTRANTS = 7;
    public static final int EXCLUSIVE_ACCESS_ALL_REGISTRANTS = 8;

    /** A PROUT outcome that is not a CHECK CONDITION. */
    public enum Outcome { GOOD, CONFLICT }

    /** One registration, for READ KEYS / READ FULL STATUS. */
    public record Registration(PortKey port, long key, boolean holder) {
    }

    private final UnitAttentions unitAttentions;
    private final Map<PortKey, Long> keys = new LinkedHashMap<>();
    private int generation;
    private PortKey holder;
    private int type;
    private volatile boolean reserved;

    PersistentReservations(UnitAttentions unitAttentions) {
        this.unitAttentions = unitAttentions;
    }

    public static boolean validType(int t) {
        return t == 1 || t == 3 || t == 5 || t == 6 || t == 7 || t == 8;
    }

    private static boolean allRegistrants(int t) {
        return t == WRITE_EXCLUSIVE_ALL_REGISTRANTS || t == EXCLUSIVE_ACCESS_ALL_REGISTRANTS;
    }

    private boolean isHolder(PortKey p) {
        return reserved && (allRegistrants(type) ? keys.containsKey(p) : p.equals(holder));
    }

    /**
     * Whether {@code port} may run a command that reads ({@code write == false}) or writes the medium under the
     * current reservation (SPC-4 table 66): true means allowed.
     */
    public boolean access(org.remaptarget.target.scsi.Nexus nexus, boolean write) {
        if (!reserved) {
            return true;
        }
        PortKey port = PortKey.of(nexus);
        synchronized (this) {
            if (!reserved || isHolder(port)) {
                return true;
            }
            boolean registered = keys.containsKey(port);
            return switch (type) {
                case WRITE_EXCLUSIVE -> !write;
                case EXCLUSIVE_ACCESS -> false;
                case WRITE_EXCLUSIVE_REGISTRANTS_ONLY, WRITE_EXCLUSIVE_ALL_REGISTRANTS -> !write || registered;
                default -> registered;
            };
        }
    }

    /** True when a persistent reservation exists (SPC-2 RESERVE/RELEASE then conflict). */
    public boolean isReserved() {
        return reserved;
    }

    public synchronized int generation() {
        return generation;
    }

    public synchronized List<Registration> registrations() {
        List<Registration> out = new ArrayList<>();
        keys.forEach((p, k) -> out.add(new Registration(p, k, isHolder(p))));
        return out;
    }

    /** The reservation's key and type, or null when there is none. */
    public synchronized long[] reservation() {
        if (!reserved) {
            return null;
        }
        long key = allRegistrants(type) ? 0 : keys.getOrDefault(holder, 0L);
        return new long[] {key, type};
    }

    /** REGISTER (ignoreExisting false) and REGISTER AND IGNORE EXISTING KEY. */
    public synchronized Outcome register(PortKey p, long key, long newKey, boolean ignoreExisting) {
        Long current = keys.get(p);
        if (current == null) {
            if (!ignoreExisting && key != 0) {
                return Outcome.CONFLICT;
            }
            if (newKey != 0) {
                keys.put(p, newKey);
                generation++;
            }
            return Outcome.GOOD;
        }
        if (!ignoreExisting && current != key) {
            return Outcome.CONFLICT;
        }
        if (newKey != 0) {
            keys.put(p, newKey);
        } else {
            unregister(p);
        }
        generation++;
        return Outcome.GOOD;
    }

    private void unregister(PortKey p) {
        boolean wasHolder = isHolder(p);
        keys.remove(p);
        if (!wasHolder) {
            return;
        }
        if (!allRegistrants(type) || keys.isEmpty()) {
            int oldType = type;
            clearReservation();
            if (oldType == WRITE_EXCLUSIVE_REGISTRANTS_ONLY || oldType == EXCLUSIVE_ACCESS_REGISTRANTS_ONLY) {
                keys.keySet().forEach(k -> unitAttentions.establish(k, SenseReason.RESERVATIONS_RELEASED));
            }
        }
    }

    private void clearReservation() {
        reserved = false;
        holder = null;
        type = 0;
    }

    private boolean keyMatches(PortKey p, long key) {
        Long current = keys.get(p);
        return current != null && current == key;
    }

    public synchronized Outcome reserve(PortKey p, long key, int newType) {
        if (!keyMatches(p, key)) {
            return Outcome.CONFLICT;
        }
        if (reserved) {
            return isHolder(p) && type == newType ? Outcome.GOOD : Outcome.CONFLICT;
        }
        reserved = true;
        type = newType;
        holder = allRegistrants(newType) ? null : p;
        return Outcome.GOOD;
    }

    public synchronized Outcome release(PortKey p, long key, int releaseType) throws ScsiFailure {
        if (!keyMatches(p, key)) {
            return Outcome.CONFLICT;
        }
        if (!reserved || !isHolder(p)) {
            return Outcome.GOOD;
        }
        if (releaseType != type) {
            throw ScsiFailure.of(SenseReason.INVALID_RELEASE_OF_PERSISTENT_RESERVATION);
        }
        int oldType = type;
        clearReservation();
        if (oldType != WRITE_EXCLUSIVE && oldType != EXCLUSIVE_ACCESS) {
            keys.keySet().stream().filter(k -> !k.equals(p))
                    .forEach(k -> unitAttentions.establish(k, SenseReason.RESERVATIONS_RELEASED));
        }
        return Outcome.GOOD;
    }

    public synchronized Outcome clear(PortKey p, long key) {
        if (!keyMatches(p, key)) {
            return Outcome.CONFLICT;
        }
        keys.keySet().stream().filter(k -> !k.equals(p))
                .forEach(k -> unitAttentions.establish(k, SenseReason.RESERVATIONS_PREEMPTED));
        keys.clear();
        clearReservation();
        generation++;
        return Outcome.GOOD;
    }

    /** PREEMPT (and PREEMPT AND ABORT, whose task aborting the caller does): SPC-4 §5.13.11. */
    public synchronized Outcome preempt(PortKey p, long key, long victimKey, int newType) throws ScsiFailure {
        if (!keyMatches(p, key)) {
            return Outcome.CONFLICT;
        }
        if (!reserved) {
            return removeKeys(p, victimKey) ? Outcome.GOOD : Outcome.CONFLICT;
        }
        if (allRegistrants(type)) {
            if (victimKey == 0) {
                List<PortKey> others = keys.keySet().stream().filter(k -> !k.equals(p)).toList();
                others.forEach(k -> {
                    keys.remove(k);
                    unitAttentions.establish(k, SenseReason.REGISTRATIONS_PREEMPTED);
                });
                reserved = true;
                type = newType;
                holder = allRegistrants(newType) ? null : p;
                generation++;
                return Outcome.GOOD;
            }
            return removeKeys(p, victimKey) ? Outcome.GOOD : Outcome.CONFLICT;
        }
        long holderKey = keys.getOrDefault(holder, 0L);
        if (victimKey == holderKey) {
            removeKeys(p, victimKey);
            reserved = true;
            type = newType;
            holder = allRegistrants(newType) ? null : p;
            return Outcome.GOOD;
        }
        if (victimKey == 0) {
            throw ScsiFailure.param(8);
        }
        return removeKeys(p, victimKey) ? Outcome.GOOD : Outcome.CONFLICT;
    }

    /** Removes every registration with {@code victimKey} except {@code p}'s own; returns false if none. */
    private boolean removeKeys(PortKey p, long victimKey) {
        List<PortKey> victims = new ArrayList<>();
        keys.forEach((k, v) -> {
            if (v == victimKey && !k.equals(p)) {
                victims.add(k);
            }
        });
        boolean selfMatch = keyMatches(p, victimKey);
        if (victims.isEmpty() && !selfMatch) {
            return false;
        }
        for (PortKey k : victims) {
            keys.remove(k);
            if (k.equals(holder)) {
                clearReservation();
            }
            unitAttentions.establish(k, SenseReason.REGISTRATIONS_PREEMPTED);
        }
        generation++;
        return true;
    }

    /** The ports whose registrations hold {@code key} (for PREEMPT AND ABORT). */
    public synchronized List<PortKey> portsWithKey(long key) {
        List<PortKey> out = new ArrayList<>();
        keys.forEach((k, v) -> {
            if (v == key) {
                out.add(k);
            }
        });
        return out;
    }
}
