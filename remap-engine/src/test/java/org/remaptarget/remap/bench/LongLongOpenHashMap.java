package org.remaptarget.remap.bench;

/**
 * Benchmark baseline: a plain open-addressing (linear probing) long to long map over two primitive arrays, doubled
 * stop-the-world at 75% fill. Single-threaded, no removal; {@link #EMPTY} cannot be a key.
 */
public final class LongLongOpenHashMap {

    public static final long EMPTY = Long.MIN_VALUE;
    public static final long MISSING = -1L;

    private long[] keys;
    private long[] values;
    private int mask;
    private int size;

    public LongLongOpenHashMap() {
        allocate(64);
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        values = new long[capacity];
        java.util.Arrays.fill(keys, EMPTY);
        mask = capacity - 1;
    }

    private static int index(long key, int mask) {
        long h = key;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) h & mask;
    }

    public long get(long key) {
        long[] k = keys;
        int m = mask;
        for (int i = index(key, m); ; i = (i + 1) & m) {
            long probe = k[i];
            if (probe == key) {
                return values[i];
            }
            if (probe == EMPTY) {
                return MISSING;
            }
        }
    }

    public long put(long key, long value) {
        if (key == EMPTY) {
            throw new IllegalArgumentException("reserved key");
        }
        for (int i = index(key, mask); ; i = (i + 1) & mask) {
            long probe = keys[i];
            if (probe == key) {
                long old = values[i];
                values[i] = value;
                return old;
            }
            if (probe == EMPTY) {
                keys[i] = key;
                values[i] = value;
                if (++size * 4L > keys.length * 3L) {
                    rehash();
                }
                return MISSING;
            }
        }
    }

    private void rehash() {
        long[] oldKeys = keys;
        long[] oldValues = values;
        allocate(oldKeys.length * 2);
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != EMPTY) {
                int i = index(oldKeys[j], mask);
                while (keys[i] != EMPTY) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                values[i] = oldValues[j];
            }
        }
    }

    public int size() {
        return size;
    }
}
