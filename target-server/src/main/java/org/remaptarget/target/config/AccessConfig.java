package org.remaptarget.target.config;

import java.util.List;
import java.util.Map;

/**
 * Access rules of one target (or of discovery) as configured: CHAP credential the initiator must present, the
 * target's own credential for mutual CHAP, allowed initiator IQNs and source networks (CIDR text, validated), and
 * per-initiator LUN masks. Empty lists mean "no restriction". Immutable; secrets never appear in toString.
 */
public record AccessConfig(ChapCredential chap, ChapCredential mutualChap, List<String> allowedInitiators,
                           List<String> allowedNetworks, Map<String, List<Long>> lunMasks) {
    public static final AccessConfig OPEN = new AccessConfig(null, null, List.of(), List.of(), Map.of());

    public AccessConfig {
        allowedInitiators = List.copyOf(allowedInitiators);
        allowedNetworks = List.copyOf(allowedNetworks);
        lunMasks = Map.copyOf(lunMasks);
    }
}
