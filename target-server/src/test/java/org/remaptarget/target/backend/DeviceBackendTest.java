package org.remaptarget.target.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.remaptarget.remap.device.MediumErrorException;
import org.remaptarget.remap.device.MemoryBlockDevice;
import org.remaptarget.remap.device.ReallocationFailedException;
import org.remaptarget.target.scsi.ScsiFailure;
import org.remaptarget.target.scsi.SenseReason;

class DeviceBackendTest {
    @Test
    void readMediumErrorBecomesUnrecoveredReadErrorWithTheLba() {
        ScsiFailure f = DeviceBackend.map(new MediumErrorException(77, false), false);
        assertEquals(SenseReason.UNRECOVERED_READ_ERROR, f.reason());
        assertEquals(77, f.information());
    }

    @Test
    void writeMediumErrorBecomesWriteErrorWithTheLba() {
        ScsiFailure f = DeviceBackend.map(new MediumErrorException(5, true), true);
        assertEquals(SenseReason.WRITE_ERROR, f.reason());
        assertEquals(5, f.information());
    }

    @Test
    void reallocationFailureBecomesAutoReallocationFailed() {
        ScsiFailure f = DeviceBackend.map(new ReallocationFailedException(9), true);
        assertEquals(SenseReason.WRITE_ERROR_AUTO_REALLOCATION_FAILED, f.reason());
        assertEquals(9, f.information());
    }

    @Test
    void unlocatedIoErrorIsHardwareErrorOnReadsAndWriteErrorOnWrites() {
        assertEquals(SenseReason.INTERNAL_TARGET_FAILURE, DeviceBackend.map(new IOException("x"), false).reason());
        ScsiFailure w = DeviceBackend.map(new IOException("x"), true);
        assertEquals(SenseReason.WRITE_ERROR, w.reason());
        assertEquals(ScsiFailure.NO_INFORMATION, w.information());
    }

    @Test
    void writeSameRepeatsThePatternAcrossChunks() throws Exception {
        MemoryBlockDevice dev = new MemoryBlockDevice(512, 8192);
        DeviceBackend b = new DeviceBackend(dev);
        byte[] block = new byte[512];
        for (int i = 0; i < 512; i++) {
            block[i] = (byte) (i ^ 0x5a);
        }
        b.writeSame(10, 5000, block, 0, false);
        byte[] got = new byte[512];
        b.read(10 + 4999, 1, got, 0);
        assertArrayEquals(block, got);
        b.read(10 + 5000, 1, got, 0);
        assertArrayEquals(new byte[512], got);
    }

    @Test
    void aRangeTheCallerFailedToCheckIsLbaOutOfRangeNotACrash() {
        DeviceBackend b = new DeviceBackend(new MemoryBlockDevice(512, 16));
        ScsiFailure f = assertThrows(ScsiFailure.class, () -> b.read(15, 2, new byte[1024], 0));
        assertEquals(SenseReason.LBA_OUT_OF_RANGE, f.reason());
    }
}
