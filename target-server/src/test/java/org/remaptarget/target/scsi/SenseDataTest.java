package org.remaptarget.target.scsi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SenseDataTest {
    @Test
    void fixedFormatCarriesKeyAscAscqAndAdditionalLength() {
        byte[] s = SenseData.build(ScsiFailure.of(SenseReason.LBA_OUT_OF_RANGE), false);
        assertEquals(18, s.length);
        assertEquals(0x70, s[0] & 0xff);
        assertEquals(0x05, s[2]);
        assertEquals(10, s[7]);
        assertEquals(0x21, s[12]);
        assertEquals(0x00, s[13]);
    }

    @Test
    void fixedFormatPutsTheLbaInInformationAndSetsValid() {
        byte[] s = SenseData.build(ScsiFailure.at(SenseReason.UNRECOVERED_READ_ERROR, 0x01020304L), false);
        assertEquals(0xF0, s[0] & 0xff);
        assertEquals(0x01, s[3]);
        assertEquals(0x04, s[6]);
    }

    @Test
    void fixedFormatClearsValidWhenTheLbaDoesNotFitIn32Bits() {
        byte[] s = SenseData.build(ScsiFailure.at(SenseReason.UNRECOVERED_READ_ERROR, 1L << 40), false);
        assertEquals(0x70, s[0] & 0xff);
    }

    @Test
    void fixedFormatFieldPointerHasSksvCdAndBitPointer() {
        byte[] s = SenseData.build(ScsiFailure.cdb(1, 3), false);
        assertEquals(0x80 | 0x40 | 0x08 | 3, s[15] & 0xff);
        assertEquals(0, s[16]);
        assertEquals(1, s[17]);
    }

    @Test
    void parameterListFieldPointerHasCdClear() {
        byte[] s = SenseData.build(ScsiFailure.param(300), false);
        assertEquals(0x80, s[15] & 0xff);
        assertEquals(300, ((s[16] & 0xff) << 8) | (s[17] & 0xff));
    }

    @Test
    void descriptorFormatHasInformationDescriptorWithA64BitLba() {
        byte[] s = SenseData.build(ScsiFailure.at(SenseReason.UNRECOVERED_READ_ERROR, 1L << 40), true);
        assertEquals(0x72, s[0] & 0xff);
        assertEquals(0x03, s[1]);
        assertEquals(0x11, s[2]);
        assertEquals(12, s[7]);
        assertEquals(0x00, s[8]);
        assertEquals(0x0A, s[9]);
        assertEquals(0x80, s[10] & 0xff);
        assertEquals(0x01, s[8 + 4 + 2]); // byte 2 of the 8-byte information = bit 40
    }

    @Test
    void descriptorFormatHasSenseKeySpecificDescriptorForFieldPointers() {
        byte[] s = SenseData.build(ScsiFailure.cdb(2), true);
        assertEquals(8, s[7]);
        assertEquals(0x02, s[8]);
        assertEquals(0x06, s[9]);
        assertEquals(0xC0, s[12] & 0xff);
        assertEquals(2, s[14]);
    }

    @Test
    void unitAttentionReasonsAreRecognisedAndResetsSupersede() {
        assertEquals(true, SenseReason.BUS_DEVICE_RESET_FUNCTION_OCCURRED.isReset());
        assertEquals(false, SenseReason.MODE_PARAMETERS_CHANGED.isReset());
        assertEquals(true, SenseReason.MODE_PARAMETERS_CHANGED.isUnitAttention());
    }
}
