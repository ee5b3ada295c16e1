package org.remaptarget.remap.table;

/**
 * The resize policy of a {@link RemapTable}: dm-remap's integer-math load rule.
 *
 * <p>{@code load = count * 100 / buckets} (integer division). After a mutation, the table doubles when
 * {@code load > growLoadPercent}, halves when {@code load < shrinkLoadPercent} (never below {@code minBuckets}).
 * With the defaults (150 / 50 / 64) a 64-bucket table grows to 128 when the 97th entry arrives
 * ({@code 97 * 100 / 64 = 151}).
 *
 * <p>Validation keeps the rule free of oscillation: {@code growLoadPercent >= 2 * shrinkLoadPercent}, so that a
 * freshly doubled table is never already below the shrink point and a freshly halved one never above the grow
 * point. {@code minBuckets} is a power of two (bucket indices are hash bits).
 *
 * @param growLoadPercent   double the buckets when the load exceeds this (strictly greater)
 * @param shrinkLoadPercent halve the buckets when the load falls below this (strictly less); 0 never shrinks
 * @param minBuckets        floor and initial bucket count; a power of two in [1, 2^29]
 * @param incrementalRehash true (the product setting): spread the rehash over later mutations, a bounded number
 *                          of buckets each; false: rehash every entry inside the mutation that decided the resize
 *                          (stop-the-world, kept for benchmarks and comparison)
 */
public record TablePolicy(int growLoadPercent, int shrinkLoadPercent, int minBuckets, boolean incrementalRehash) {

    /** Largest bucket count the table will grow to. */
    public static final int MAX_BUCKETS = 1 << 30;

    /** Default grow threshold (percent). */
    public static final int DEFAULT_GROW_LOAD_PERCENT = 150;
    /** Default shrink threshold (percent). */
    public static final int DEFAULT_SHRINK_LOAD_PERCENT = 50;
    /** Default and minimum bucket count. */
    public static final int DEFAULT_MIN_BUCKETS = 64;

    public TablePolicy {
        if (growLoadPercent < 1) {
            throw new IllegalArgumentException("growLoadPercent must be at least 1, got " + growLoadPercent);
        }
        if (shrinkLoadPercent < 0) {
            throw new IllegalArgumentException("shrinkLoadPercent must not be negative, got " + shrinkLoadPercent);
        }
        if ((long) growLoadPercent < 2L * shrinkLoadPercent) {
            throw new IllegalArgumentException("growLoadPercent (" + growLoadPercent
                    + ") must be at least twice shrinkLoadPercent (" + shrinkLoadPercent
                    + ") or every resize could immediately trigger the opposite one");
        }
        if (minBuckets < 1 || minBuckets > MAX_BUCKETS / 2 || Integer.bitCount(minBuckets) != 1) {
            throw new IllegalArgumentException("minBuckets must be a power of two in [1, " + (MAX_BUCKETS / 2)
                    + "], got " + minBuckets);
        }
    }

    /** A policy with incremental rehashing. */
    public TablePolicy(int growLoadPercent, int shrinkLoadPercent, int minBuckets) {
        this(growLoadPercent, shrinkLoadPercent, minBuckets, true);
    }

    /** The dm-remap defaults: grow above 150%, shrink below 50%, never below 64 buckets, incremental rehash. */
    public static TablePolicy defaults() {
        return new TablePolicy(DEFAULT_GROW_LOAD_PERCENT, DEFAULT_SHRINK_LOAD_PERCENT, DEFAULT_MIN_BUCKETS, true);
    }

    /** The same thresholds with the given rehash mode. */
    public TablePolicy withIncrementalRehash(boolean incremental) {
        return new TablePolicy(growLoadPercent, shrinkLoadPercent, minBuckets, incremental);
    }

    /** {@code count * 100 / buckets}, integer math as in dm-remap. */
    public static long load(long count, long buckets) {
        return count * 100 / buckets;
    }

    /** The bucket count this policy wants after a mutation left {@code count} entries in {@code buckets}. */
    public long targetBuckets(long count, long buckets) {
        long load = load(count, buckets);
        if (load > growLoadPercent && buckets < MAX_BUCKETS) {
            return buckets * 2;
        }
        if (load < shrinkLoadPercent && buckets > minBuckets) {
            return Math.max(minBuckets, buckets / 2);
        }
        return buckets;
    }

    /** The smallest count at which {@code buckets} buckets must grow. */
    long growCount(long buckets) {
        // count*100/buckets >= grow+1  <=>  count*100 >= (grow+1)*buckets
        return ceilDiv((growLoadPercent + 1L) * buckets, 100);
    }

    /** The largest count at which {@code buckets} buckets must shrink, or -1 if they never shrink. */
    long shrinkCount(long buckets) {
        if (buckets <= minBuckets || shrinkLoadPercent == 0) {
            return -1;
        }
        // count*100/buckets < shrink  <=>  count*100 < shrink*buckets
        return ceilDiv((long) shrinkLoadPercent * buckets, 100) - 1;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
