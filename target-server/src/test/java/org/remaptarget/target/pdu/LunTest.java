package org.remaptarget.target.pdu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LunTest {
    @Test
    void peripheralAddressingDecodesTheSecondByte() {
        assertEquals(5, Lun.toNumber(0x0005_0000_0000_0000L));
    }

    @Test
    void flatAddressingDecodesFourteenBits() {
        assertEquals(0x1234, Lun.toNumber(0x5234_0000_0000_0000L));
    }

    @Test
    void numbersRoundTripThroughTheField() {
        for (long n : new long[] {0, 1, 255, 256, 16383}) {
            assertEquals(n, Lun.toNumber(Lun.toField(n)));
        }
    }

    @Test
    void unsupportedAddressingNeverMapsToAValidLun() {
        assertTrue(Lun.toNumber(0xc000_0000_0000_0000L) < 0);
        assertTrue(Lun.toNumber(0x0105_0000_0000_0000L) < 0);
    }
}
