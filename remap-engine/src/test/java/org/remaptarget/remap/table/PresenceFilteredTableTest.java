package org.remaptarget.remap.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PresenceFilteredTableTest {

    @Test
    void answersExactlyLikeTheInnerTableUnderRandomPutsAndRemoves() {
        PresenceFilteredTable t = new PresenceFilteredTable(new IncrementalRemapTable(), 1 << 20);
        Map<Long, Long> model = new HashMap<>();
        Random rnd = new Random(7);
        for (int i = 0; i < 50_000; i++) {
            long lba = rnd.nextInt(1 << 20);
            if (rnd.nextInt(4) == 0) {
                assertEquals(model.containsKey(lba) ? model.remove(lba) : RemapTable.NOT_MAPPED, t.remove(lba));
            } else {
                long spare = rnd.nextInt(1 << 16);
                Long old = model.put(lba, spare);
                assertEquals(old == null ? RemapTable.NOT_MAPPED : old, t.put(lba, spare));
            }
            long probe = rnd.nextInt(1 << 20);
            assertEquals(model.getOrDefault(probe, RemapTable.NOT_MAPPED), t.get(probe));
            if (i % 100 == 0) {
                RangeCheck.assertRangeMatches(model, t, rnd.nextInt(1 << 20), 1 + rnd.nextInt(5000));
            }
        }
        assertEquals(model.size(), t.size());
    }

    @Test
    void indexesMappingsTheInnerTableAlreadyHeld() {
        IncrementalRemapTable inner = new IncrementalRemapTable();
        inner.put(12345, 7);
        PresenceFilteredTable t = new PresenceFilteredTable(inner, 100_000);
        assertEquals(7, t.get(12345));
        assertEquals(RemapTable.NOT_MAPPED, t.get(12346));
    }

    @Test
    void lbasOutsideTheDataAreaAlwaysReachTheInnerTable() {
        PresenceFilteredTable t = new PresenceFilteredTable(new IncrementalRemapTable(), 1000);
        t.put(5000, 3);
        assertEquals(3, t.get(5000));
    }

    @Test
    void hugeVolumesShareABitBetweenNeighbouringBlocksAndStayUnder16MiB() {
        PresenceFilteredTable t = new PresenceFilteredTable(new IncrementalRemapTable(), 1L << 36);
        assertEquals(1L << 9, t.blocksPerBit());
        t.put(1L << 35, 1);
        assertEquals(1, t.get(1L << 35));
        assertEquals(RemapTable.NOT_MAPPED, t.get((1L << 35) + 1)); // same bit, inner lookup says no
        assertTrue(t.blocksPerBit() >= 1);
    }
}
