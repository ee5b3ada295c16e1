package org.remaptarget.target.lun;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.remaptarget.target.scsi.Nexus;
import org.remaptarget.target.scsi.SenseReason;

/**
 * Pending unit attention conditions of one logical unit, per I_T nexus (keyed by initiator port and target port,
 * so a reinstated session inherits its predecessor's conditions).
 *
 * <p>Invariants: a nexus never sees a condition established before it first addressed the LU (a brand-new nexus
 * attaches quietly); each nexus holds each reason at most once, oldest first; a reset condition (29/xx) replaces
 * the others. A port whose nexus was lost gets 29/07 when it comes back (remembered for at most
 * {@link #LOST_MEMORY} ports). Locks: each nexus's queue is guarded by its own monitor; the lost-port memory by this
 * object's monitor. The hot path ({@link #poll} with nothing pending) is one map lookup and one volatile read.
 */
public final class UnitAttentions {
    /** How many lost initiator ports are remembered for 29/07. */
    public static final int LOST_MEMORY = 256;

    /** The identity of an I_T nexus for unit attention and reservation purposes. */
    public record PortKey(String initiatorName, long isid, String targetName, int tpgt) {
        public static PortKey of(Nexus n) {
            return new PortKey(n.initiatorName(), n.isid(), n.targetName(), n.tpgt());
        }
    }

    private static final class Queue {
        private final ArrayDeque<SenseReason> pending = new ArrayDeque<>(2);
        private volatile boolean nonEmpty;

        synchronized void add(SenseReason r) {
            if (r.isReset()) {
                pending.clear();
            } else if (pending.contains(r)) {
                return;
            }
            pending.addLast(r);
            nonEmpty = true;
        }

        SenseReason poll() {
            if (!nonEmpty) {
                return null;
            }
            synchronized (this) {
                SenseReason r = pending.pollFirst();
                nonEmpty = !pending.isEmpty();
                return r;
            }
        }

        synchronized void clear() {
            pending.clear();
            nonEmpty = false;
        }
    }

    private final ConcurrentHashMap<PortKey, Queue> nexuses = new ConcurrentHashMap<>();
    private final Map<PortKey, Boolean> lost = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<PortKey, Boolean> eldest) {
            return size() > LOST_MEMORY;
        }
    };

    /** Registers {@code nexus} as known to this LU (called on every command; cheap when already known). */
    public void seen(Nexus nexus) {
        PortKey key = PortKey.of(nexus);
        if (nexuses.containsKey(key)) {
            return;
        }
        Queue q = new Queue();
        if (nexuses.putIfAbsent(key, q) == null) {
            boolean wasLost;
            synchronized (this) {
                wasLost = lost.remove(key) != null;
            }
            if (wasLost) {
                q.add(SenseReason.I_T_NEXUS_LOSS_OCCURRED);
            }
        }
    }

    /** Removes and returns the oldest pending condition of {@code nexus}, or null. */
    public SenseReason poll(Nexus nexus) {
        Queue q = nexuses.get(PortKey.of(nexus));
        return q == null ? null : q.poll();
    }

    /** Establishes {@code reason} for one nexus (known or not). */
    public void establish(Nexus nexus, SenseReason reason) {
        nexuses.computeIfAbsent(PortKey.of(nexus), k -> new Queue()).add(reason);
    }

    /** Establishes {@code reason} for the nexus with these ports (known or not). */
    public void establish(PortKey key, SenseReason reason) {
        nexuses.computeIfAbsent(key, k -> new Queue()).add(reason);
    }

    /** Establishes {@code reason} for every known nexus. */
    public void establishForAll(SenseReason reason) {
        nexuses.values().forEach(q -> q.add(reason));
    }

    /** Establishes {@code reason} for every known nexus whose ports match {@code which}. */
    public void establishWhere(java.util.function.Predicate<PortKey> which, SenseReason reason) {
        nexuses.forEach((k, q) -> {
            if (which.test(k)) {
                q.add(reason);
            }
        });
    }

    /** Establishes {@code reason} for every known nexus except {@code except}'s ports. */
    public void establishForOthers(Nexus except, SenseReason reason) {
        PortKey me = PortKey.of(except);
        nexuses.forEach((k, q) -> {
            if (!k.equals(me)) {
                q.add(reason);
            }
        });
    }

    /** Clears every condition pending for {@code nexus}. */
    public void clear(Nexus nexus) {
        Queue q = nexuses.get(PortKey.of(nexus));
        if (q != null) {
            q.clear();
        }
    }

    /** The nexus is gone: forget it, and remember the port so its return reports 29/07. */
    public void nexusLost(Nexus nexus) {
        PortKey key = PortKey.of(nexus);
        if (nexuses.remove(key) != null) {
            synchronized (this) {
                lost.put(key, Boolean.TRUE);
            }
        }
    }
}
