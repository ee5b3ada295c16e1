package org.remaptarget.target.lun;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The results an EXTENDED COPY (LID1) leaves for RECEIVE COPY RESULTS (SPC-4 §6.18): per initiator port and list
 * identifier, the last copy's status. Bounded: the oldest entry is dropped beyond {@link #CAPACITY}. Forgotten on
 * LU reset. Thread-safe (one monitor, held only for map access).
 */
public final class CopyResults {
    /** Held results kept per LU. */
    public static final int CAPACITY = 64;

    /**
     * One copy's outcome.
     *
     * @param completed         true once the copy ended
     * @param failed            true when it ended with an error
     * @param segmentsProcessed segments done
     * @param bytes             bytes copied
     */
    public record Status(boolean completed, boolean failed, int segmentsProcessed, long bytes) {
    }

    private final Map<String, Status> held = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Status> eldest) {
            return size() > CAPACITY;
        }
    };

    private static String key(String initiatorPort, int listId) {
        return initiatorPort + "#" + listId;
    }

    public synchronized void put(String initiatorPort, int listId, Status status) {
        held.put(key(initiatorPort, listId), status);
    }

    /** The held status, or null when this port has no copy with that list identifier. */
    public synchronized Status get(String initiatorPort, int listId) {
        return held.get(key(initiatorPort, listId));
    }

    public synchronized void clear() {
        held.clear();
    }
}
