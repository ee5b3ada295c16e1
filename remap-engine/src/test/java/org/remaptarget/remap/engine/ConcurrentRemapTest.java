package org.remaptarget.remap.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.remaptarget.remap.engine.Volumes.BS;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.remaptarget.remap.device.MemoryBlockDevice;
import org.remaptarget.remap.fault.FaultOp;
import org.remaptarget.remap.fault.FaultOutcome;
import org.remaptarget.remap.fault.FaultRule;

/** Writers racing manual remaps and write-error remaps never lose an acknowledged write. */
class ConcurrentRemapTest {

    private static ByteBuffer value(long lba, int seq) {
        ByteBuffer b = ByteBuffer.allocate(BS);
        b.putLong(0, lba).putInt(8, seq);
        return b;
    }

    @Test
    void acknowledgedWritesSurviveConcurrentManualRemapsOfTheSameBlocks() throws Exception {
        MemoryBlockDevice dev = Volumes.formatted(FormatOptions.of(BS, 64, 4000));
        RemapVolume v = RemapVolume.open(dev, Volumes.opts());
        for (long lba = 32; lba < 40; lba++) {
            v.faults().addRule(FaultRule.of(FaultOp.WRITE, v.backingLbaOfData(lba), 1, new FaultOutcome.IoError()));
        }
        int writers = 4;
        int writesEach = 400;
        int[] last = new int[64];
        List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean done = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            final int id = w;
            threads.add(new Thread(() -> {
                try {
                    for (int seq = 1; seq <= writesEach; seq++) {
                        for (long lba = id; lba < 64; lba += writers) { // each LBA has one writer: ordered
                            v.device().write(lba, value(lba, seq), false);
                            last[(int) lba] = seq;
                        }
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }));
        }
        Thread remapper = new Thread(() -> {
            try {
                int i = 0;
                while (!done.get() && i < 3000) {
                    v.remapNow((i * 7L) % 64);
                    i++;
                }
            } catch (Throwable e) {
                errors.add(e);
            }
        });
        threads.forEach(Thread::start);
        remapper.start();
        for (Thread t : threads) {
            t.join(60_000);
        }
        done.set(true);
        remapper.join(60_000);
        assertTrue(errors.isEmpty(), errors.toString());
        for (long lba = 0; lba < 64; lba++) {
            ByteBuffer got = Volumes.read(v.device(), lba, 1);
            assertEquals(value(lba, last[(int) lba]), got, "LBA " + lba);
        }
        assertTrue(v.remaps().size() >= 8);
        v.close();
        RemapVolume again = RemapVolume.open(dev, Volumes.opts());
        for (long lba = 0; lba < 64; lba++) {
            assertEquals(value(lba, writesEach), Volumes.read(again.device(), lba, 1), "LBA " + lba + " reopened");
        }
    }
}
