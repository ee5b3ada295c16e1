package org.remaptarget.target.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.remaptarget.target.config.AccessConfig;
import org.remaptarget.target.config.ConfigException;
import org.remaptarget.target.config.LunConfig;
import org.remaptarget.target.config.ServerConfig;
import org.remaptarget.target.config.TargetConfig;

/**
 * What a configuration reload changes, computed from the running and the new configuration before anything is
 * touched: the targets and LUNs to add and to remove. Refuses (with a {@link ConfigException} naming the key) what
 * a running server cannot apply safely. Immutable; pure computation, no I/O.
 */
record ReloadPlan(List<String> addedTargets, List<String> removedTargets, List<LunRef> addedLuns,
                  List<LunRef> removedLuns, List<String> aliasChanges, int unchangedLuns) {

    /** One LUN of one target. */
    record LunRef(TargetConfig target, LunConfig config) {
        long lun() {
            return config.lun();
        }

        @Override
        public String toString() {
            return target.iqn() + "/" + config.lun();
        }
    }

    ReloadPlan {
        addedTargets = List.copyOf(addedTargets);
        removedTargets = List.copyOf(removedTargets);
        addedLuns = List.copyOf(addedLuns);
        removedLuns = List.copyOf(removedLuns);
        aliasChanges = List.copyOf(aliasChanges);
    }

    /**
     * Compares {@code running} with {@code next}.
     *
     * @param open the LUNs being served now (only their keys are read), to tell what exists
     */
    static ReloadPlan of(ServerConfig running, ServerConfig next, Map<String, ? extends Map<Long, ?>> open)
            throws ConfigException {
        if (!running.portals().equals(next.portals())) {
            throw new ConfigException(next.source(), "portals", 0, "changed from " + running.portals() + " to "
                    + next.portals() + ": portals are bound at start-up, restart the server to change them");
        }
        Map<String, TargetConfig> before = byIqn(running);
        Map<String, TargetConfig> after = byIqn(next);
        List<String> addedTargets = new ArrayList<>();
        List<String> removedTargets = new ArrayList<>();
        List<LunRef> added = new ArrayList<>();
        List<LunRef> removed = new ArrayList<>();
        List<String> aliases = new ArrayList<>();
        int unchanged = 0;
        for (int ti = 0; ti < next.targets().size(); ti++) {
            TargetConfig t = next.targets().get(ti);
            TargetConfig old = before.get(t.iqn());
            if (old == null || !open.containsKey(t.iqn())) {
                addedTargets.add(t.iqn());
                t.luns().forEach(l -> added.add(new LunRef(t, l)));
                continue;
            }
            if (!Objects.equals(blank(old.alias()), blank(t.alias()))) {
                aliases.add(t.iqn());
            }
            Map<Integer, LunConfig> oldLuns = old.luns().stream()
                    .collect(Collectors.toMap(LunConfig::lun, l -> l, (a, b) -> a, LinkedHashMap::new));
            for (int li = 0; li < t.luns().size(); li++) {
                LunConfig l = t.luns().get(li);
                LunConfig was = oldLuns.get(l.lun());
                if (was == null) {
                    added.add(new LunRef(t, l));
                } else if (!was.equals(l)) {
                    throw new ConfigException(next.source(), "targets[" + ti + "].luns[" + li + "]", 0, "LUN "
                            + l.lun() + " of " + t.iqn() + " changed (" + differences(was, l) + "): a served LUN "
                            + "cannot change under its initiators; remove it in one reload and add it back in the "
                            + "next, or restart the server");
                } else {
                    unchanged++;
                }
            }
            Set<Integer> kept = t.luns().stream().map(LunConfig::lun).collect(Collectors.toSet());
            old.luns().stream().filter(l -> !kept.contains(l.lun())).forEach(l -> removed.add(new LunRef(old, l)));
        }
        for (TargetConfig old : running.targets()) {
            if (!after.containsKey(old.iqn())) {
                removedTargets.add(old.iqn());
                old.luns().forEach(l -> removed.add(new LunRef(old, l)));
            }
        }
        for (LunRef a : added) {
            for (LunRef r : removed) {
                if (sameStorage(a.config(), r.config())) {
                    throw new ConfigException(next.source(), "path", 0, "LUN " + a + " would open "
                            + a.config().path() + ", which LUN " + r + " serves until this reload removes it: "
                            + "remove it in one reload and add the new LUN in the next");
                }
            }
        }
        return new ReloadPlan(addedTargets, removedTargets, added, removed, aliases, unchanged);
    }

    /** Whether two LUNs would open the same file (in-memory LUNs, with no path, share nothing). */
    /**
     * Refuses {@code next} when its access control differs from what the running server enforces, which was fixed
     * at start-up from {@code started}: discovery access, MD5 permission, limits, and each target's access rules
     * (a target absent from {@code started} is served open, so it may only be added without rules).
     */
    static void checkSecurityUnchanged(ServerConfig started, ServerConfig next) throws ConfigException {
        if (!started.security().discovery().equals(next.security().discovery())) {
            throw restart(next, "discovery access (discovery-chap, ACLs)");
        }
        if (started.security().chapAllowMd5() != next.security().chapAllowMd5()) {
            throw restart(next, "chap-allow-md5");
        }
        if (!started.security().limits().equals(next.security().limits())) {
            throw restart(next, "limits");
        }
        Map<String, AccessConfig> enforced = new LinkedHashMap<>();
        started.targets().forEach(t -> enforced.put(t.iqn(), t.access()));
        for (int i = 0; i < next.targets().size(); i++) {
            TargetConfig t = next.targets().get(i);
            if (!enforced.getOrDefault(t.iqn(), AccessConfig.OPEN).equals(t.access())) {
                throw new ConfigException(next.source(), "targets[" + i + "]", 0, "the access rules of " + t.iqn()
                        + " (chap, mutual-chap, allowed-initiators, allowed-networks, lun-masks) differ from those "
                        + "the server started with; access control is set up at start-up: restart the server to "
                        + "change it");
            }
        }
    }

    private static ConfigException restart(ServerConfig next, String what) {
        return new ConfigException(next.source(), null, 0, what + " changed: it is applied at start-up, restart "
                + "the server to change it");
    }

    private static boolean sameStorage(LunConfig a, LunConfig b) {
        return sameFile(a.path(), b.path()) || sameFile(a.sparePath(), b.sparePath());
    }

    private static boolean sameFile(java.nio.file.Path a, java.nio.file.Path b) {
        return a != null && b != null && a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }

    private static String blank(String s) {
        return s == null ? "" : s;
    }

    private static Map<String, TargetConfig> byIqn(ServerConfig c) {
        Map<String, TargetConfig> m = new LinkedHashMap<>();
        c.targets().forEach(t -> m.put(t.iqn(), t));
        return m;
    }

    /** The configuration keys that differ between two settings of one LUN. */
    static String differences(LunConfig a, LunConfig b) {
        List<String> d = new ArrayList<>();
        if (!Objects.equals(a.path(), b.path())) {
            d.add("path");
        }
        if (a.sizeBytes() != b.sizeBytes()) {
            d.add("size");
        }
        if (a.blockSize() != b.blockSize()) {
            d.add("block-size");
        }
        if (!Objects.equals(a.serial(), b.serial())) {
            d.add("serial");
        }
        if (a.readOnly() != b.readOnly()) {
            d.add("read-only");
        }
        if (a.passthrough() != b.passthrough()) {
            d.add("passthrough");
        }
        if (a.spareBytes() != b.spareBytes()) {
            d.add("spare");
        }
        if (!Objects.equals(a.sparePath(), b.sparePath())) {
            d.add("spare-path");
        }
        if (a.healthThreshold() != b.healthThreshold()) {
            d.add("health-threshold");
        }
        if (a.spareCacheBytes() != b.spareCacheBytes()) {
            d.add("spare-cache");
        }
        return String.join(", ", d);
    }

    /** The outcome as callers see it. */
    ReloadReport report(String source) {
        return new ReloadReport(source, addedTargets, removedTargets,
                addedLuns.stream().map(LunRef::toString).toList(),
                removedLuns.stream().map(LunRef::toString).toList(), aliasChanges, unchangedLuns);
    }
}
