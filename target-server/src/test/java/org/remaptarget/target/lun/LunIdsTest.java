package org.remaptarget.target.lun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LunIdsTest {
    @Test
    void theSameSeedAlwaysGivesTheSameNaaId() {
        assertArrayEquals(LunIds.naa6("iqn.x:t/lun/0"), LunIds.naa6("iqn.x:t/lun/0"));
    }

    @Test
    void differentLunsGetDifferentIds() {
        assertFalse(Arrays.equals(LunIds.naa6(LunIds.seed("iqn.x:t", 0)), LunIds.naa6(LunIds.seed("iqn.x:t", 1))));
        assertNotEquals(LunIds.serial(LunIds.seed("iqn.x:t", 0)), LunIds.serial(LunIds.seed("iqn.x:t", 1)));
    }

    @Test
    void naaIdIsType6WithTheCompanyId() {
        byte[] id = LunIds.naa6("seed");
        assertEquals(16, id.length);
        assertEquals(6, (id[0] & 0xff) >>> 4);
        int cid = ((id[0] & 0x0f) << 20) | ((id[1] & 0xff) << 12) | ((id[2] & 0xff) << 4) | ((id[3] & 0xff) >>> 4);
        assertEquals(LunIds.COMPANY_ID, cid);
    }

    @Test
    void serialIsSixteenPrintableHexCharacters() {
        String s = LunIds.serial("seed");
        assertEquals(16, s.length());
        assertTrue(s.matches("[0-9A-F]{16}"));
    }
}
