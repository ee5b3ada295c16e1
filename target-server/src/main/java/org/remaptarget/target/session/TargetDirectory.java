package org.remaptarget.target.session;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The targets this server offers. Implementations are thread-safe. */
public interface TargetDirectory {

    Optional<TargetEntry> lookup(String iqn);

    /** Every target, in a stable order (for SendTargets=All). */
    List<TargetEntry> all();

    /** An immutable directory of the given targets (names must be unique). */
    static TargetDirectory of(List<TargetEntry> entries) {
        Map<String, TargetEntry> byName = new LinkedHashMap<>();
        for (TargetEntry e : entries) {
            if (byName.putIfAbsent(e.iqn(), e) != null) {
                throw new IllegalArgumentException("duplicate target " + e.iqn());
            }
        }
        List<TargetEntry> list = List.copyOf(byName.values());
        Map<String, TargetEntry> map = Map.copyOf(byName);
        return new TargetDirectory() {
            @Override
            public Optional<TargetEntry> lookup(String iqn) {
                return Optional.ofNullable(map.get(iqn));
            }

            @Override
            public List<TargetEntry> all() {
                return list;
            }
        };
    }
}
