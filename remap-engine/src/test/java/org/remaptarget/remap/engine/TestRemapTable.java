package org.remaptarget.remap.engine;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.remaptarget.remap.table.RemapTable;

/**
 * A placeholder {@link RemapTable} over a {@link ConcurrentHashMap}, for engine tests until the incremental table
 * is merged. Reports a fixed bucket count and never resizes.
 */
public final class TestRemapTable implements RemapTable {
    private final ConcurrentHashMap<Long, Long> map = new ConcurrentHashMap<>();
    private final List<ResizeListener> listeners = new CopyOnWriteArrayList<>();

    @Override
    public long get(long lba) {
        Long s = map.get(lba);
        return s == null ? NOT_MAPPED : s;
    }

    @Override
    public long put(long lba, long spare) {
        Long old = map.put(lba, spare);
        return old == null ? NOT_MAPPED : old;
    }

    @Override
    public long remove(long lba) {
        Long old = map.remove(lba);
        return old == null ? NOT_MAPPED : old;
    }

    @Override
    public long size() {
        return map.size();
    }

    @Override
    public long bucketCount() {
        return 64;
    }

    @Override
    public void forEach(EntryConsumer action) {
        map.forEach(action::accept);
    }

    @Override
    public void addResizeListener(ResizeListener listener) {
        listeners.add(listener);
    }
}
