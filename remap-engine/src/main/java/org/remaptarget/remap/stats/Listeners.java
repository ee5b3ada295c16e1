package org.remaptarget.remap.stats;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** A copy-on-write list of {@link VolumeListener}s; a throwing listener is logged and never breaks the caller. */
public final class Listeners {
    private static final Logger LOG = LogManager.getLogger(Listeners.class);
    private final CopyOnWriteArrayList<VolumeListener> list = new CopyOnWriteArrayList<>();

    public void add(VolumeListener l) {
        list.add(l);
    }

    public void remove(VolumeListener l) {
        list.remove(l);
    }

    public void fire(Consumer<VolumeListener> event) {
        for (VolumeListener l : list) {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                LOG.warn("volume listener {} threw {}", l, e.toString());
            }
        }
    }
}
