package org.remaptarget.target.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.remaptarget.target.session.TargetDirectory;
import org.remaptarget.target.session.TargetEntry;

/**
 * The targets a running server offers, replaceable as a whole while logins and SendTargets read it (configuration
 * reload). Owns one immutable snapshot (name → entry, in configuration order) behind a volatile reference: readers
 * never lock and always see one consistent set; {@link #replace(List)} is called by one writer at a time (the
 * server's reload lock). Sessions already logged in keep the entry they logged in to; a target that goes away has
 * its sessions closed by the caller.
 */
final class LiveTargetDirectory implements TargetDirectory {
    private record Snapshot(List<TargetEntry> list, Map<String, TargetEntry> byName) {
    }

    private volatile Snapshot snapshot;

    LiveTargetDirectory(List<TargetEntry> entries) {
        this.snapshot = snapshotOf(entries);
    }

    private static Snapshot snapshotOf(List<TargetEntry> entries) {
        Map<String, TargetEntry> byName = new LinkedHashMap<>();
        for (TargetEntry e : entries) {
            if (byName.putIfAbsent(e.iqn(), e) != null) {
                throw new IllegalArgumentException("duplicate target " + e.iqn());
            }
        }
        return new Snapshot(List.copyOf(byName.values()), Map.copyOf(byName));
    }

    /** Publishes a new set of targets (names must be unique). */
    void replace(List<TargetEntry> entries) {
        snapshot = snapshotOf(entries);
    }

    @Override
    public Optional<TargetEntry> lookup(String iqn) {
        return Optional.ofNullable(snapshot.byName().get(iqn));
    }

    @Override
    public List<TargetEntry> all() {
        return snapshot.list();
    }
}
