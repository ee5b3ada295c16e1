package org.remaptarget.target.auth;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who may use one target (or discovery) and how they authenticate. Immutable.
 *
 * @param chap               the credential initiators must present (null: no CHAP, AuthMethod=None)
 * @param mutualChap         the target's own credential for mutual CHAP (null: one-way only; requires chap)
 * @param allowedInitiators  initiator IQNs allowed (empty: every initiator)
 * @param allowedNetworks    source networks allowed (empty: every address)
 * @param lunMasks           per initiator IQN, the LUNs it may see (an initiator not listed sees every LUN)
 */
public record TargetAccess(ChapSecret chap, ChapSecret mutualChap, Set<String> allowedInitiators,
                           List<Cidr> allowedNetworks, Map<String, Set<Long>> lunMasks) {

    public TargetAccess {
        allowedInitiators = Set.copyOf(allowedInitiators);
        allowedNetworks = List.copyOf(allowedNetworks);
        lunMasks = Map.copyOf(lunMasks);
        if (mutualChap != null && chap == null) {
            throw new IllegalArgumentException("mutual CHAP needs one-way CHAP too");
        }
        if (chap != null && mutualChap != null && chap.equals(mutualChap)) {
            throw new IllegalArgumentException("the mutual CHAP credential must differ from the initiator's");
        }
    }

    /** Open access: no CHAP, every initiator, every network, every LUN. */
    public static TargetAccess open() {
        return new TargetAccess(null, null, Set.of(), List.of(), Map.of());
    }

    /** Whether {@code initiator} connecting from {@code source} passes the IQN and network lists. */
    public boolean admits(String initiator, InetAddress source) {
        if (!allowedInitiators.isEmpty() && !allowedInitiators.contains(initiator)) {
            return false;
        }
        if (allowedNetworks.isEmpty()) {
            return true;
        }
        for (Cidr c : allowedNetworks) {
            if (c.contains(source)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code initiator} may address {@code lun}. */
    public boolean lunVisible(String initiator, long lun) {
        Set<Long> mask = lunMasks.get(initiator);
        return mask == null || mask.contains(lun);
    }
}
