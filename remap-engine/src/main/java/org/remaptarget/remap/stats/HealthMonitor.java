package org.remaptarget.remap.stats;

import java.util.concurrent.atomic.AtomicReference;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Derives {@link Health} from spare consumption: FAILED when no spare is free, DEGRADED when used plus retired
 * spares exceed {@code degradedPercent} of the spare area, otherwise OK. Logs and announces every change once.
 * Thread-safe: the current value is an atomic reference updated by compare-and-set.
 */
public final class HealthMonitor {
    private static final Logger LOG = LogManager.getLogger(HealthMonitor.class);
    private final int degradedPercent;
    private final Listeners listeners;
    private final String name;
    private final AtomicReference<Health> current = new AtomicReference<>(Health.OK);

    public HealthMonitor(int degradedPercent, Listeners listeners, String name) {
        if (degradedPercent < 0 || degradedPercent > 100) {
            throw new IllegalArgumentException("degraded threshold must be 0..100 percent, not " + degradedPercent);
        }
        this.degradedPercent = degradedPercent;
        this.listeners = listeners;
        this.name = name;
    }

    public Health current() {
        return current.get();
    }

    /** The health for {@code consumed} (used + retired) of {@code total} spares. */
    public Health classify(long consumed, long total) {
        if (consumed >= total) {
            return Health.FAILED;
        }
        return consumed * 100 > (long) degradedPercent * total ? Health.DEGRADED : Health.OK;
    }

    /** Re-evaluates; logs and notifies if the health changed. */
    public Health update(long consumed, long total) {
        Health next = classify(consumed, total);
        Health prev = current.getAndSet(next);
        if (prev != next) {
            if (next == Health.OK) {
                LOG.info("{}: health {} -> {} ({} of {} spares consumed)", name, prev, next, consumed, total);
            } else {
                LOG.warn("{}: health {} -> {} ({} of {} spares consumed)", name, prev, next, consumed, total);
            }
            listeners.fire(l -> l.healthChanged(prev, next));
        }
        return next;
    }
}
