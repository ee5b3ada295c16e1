package org.remaptarget.remap.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.remaptarget.remap.fault.FaultInjectingDevice;
import org.remaptarget.remap.fault.FaultOp;
import org.remaptarget.remap.fault.FaultOutcome;
import org.remaptarget.remap.fault.FaultRule;

class RegionDeviceTest {

    @Test
    void regionAddressesItsWindowFromZero() throws IOException {
        MemoryBlockDevice mem = new MemoryBlockDevice(512, 100);
        RegionDevice r = new RegionDevice(mem, 40, 10, "data");
        byte[] data = new byte[512];
        data[0] = 42;
        r.write(0, ByteBuffer.wrap(data), false);
        ByteBuffer direct = ByteBuffer.allocate(512);
        mem.read(40, direct);
        assertArrayEquals(data, direct.array());
        assertEquals(10, r.blockCount());
    }

    @Test
    void accessOutsideTheRegionIsRejected() {
        RegionDevice r = new RegionDevice(new MemoryBlockDevice(512, 100), 40, 10, "data");
        assertThrows(IllegalArgumentException.class, () -> r.read(9, ByteBuffer.allocate(1024)));
        assertThrows(IllegalArgumentException.class, () -> new RegionDevice(new MemoryBlockDevice(512, 10), 5, 6,
                "x"));
    }

    @Test
    void mediumErrorFromTheParentNamesTheRegionLba() {
        FaultInjectingDevice f = new FaultInjectingDevice(new MemoryBlockDevice(512, 100), new ManualTimeSource(),
                false);
        f.addRule(FaultRule.of(FaultOp.READ, 43, 1, new FaultOutcome.MediumError()));
        RegionDevice r = new RegionDevice(f, 40, 10, "data");
        MediumErrorException e = assertThrows(MediumErrorException.class, () -> r.read(0, ByteBuffer.allocate(
                5 * 512)));
        assertEquals(3, e.lba());
    }
}
