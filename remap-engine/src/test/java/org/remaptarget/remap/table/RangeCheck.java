package org.remaptarget.remap.table;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Checks {@link RemapTable#mappingsInRange} against a reference map. */
final class RangeCheck {
    private RangeCheck() {
    }

    /** The table's mappings of {@code [from, +count)} (clipped at 0) are exactly the model's, ascending. */
    static void assertRangeMatches(Map<Long, Long> model, RemapTable t, long from, int count) {
        int pad = 3;
        int[] offsets = new int[count + pad];
        long[] spares = new long[count + pad];
        int end = t.mappingsInRange(from, count, offsets, spares, pad);
        List<String> got = new ArrayList<>();
        for (int k = pad; k < end; k++) {
            got.add((from + offsets[k]) + "->" + spares[k]);
        }
        List<String> want = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Long s = model.get(from + i);
            if (s != null) {
                want.add((from + i) + "->" + s);
            }
        }
        assertEquals(want, got, "mappings of [" + from + ", +" + count + ")");
    }
}
