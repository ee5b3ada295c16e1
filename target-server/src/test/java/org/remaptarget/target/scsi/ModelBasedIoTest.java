package org.remaptarget.target.scsi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.remaptarget.target.scsi.Harness.BLOCKS;
import static org.remaptarget.target.scsi.Harness.BS;
import static org.remaptarget.target.scsi.Harness.rw10;
import static org.remaptarget.target.scsi.Harness.rw16;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random block commands (fixed seed) against a reference byte array: after every step the target's answer and
 * the model agree, including on which commands must fail with LBA OUT OF RANGE.
 */
class ModelBasedIoTest {
    private static final int STEPS = 1500;

    @Test
    void randomCommandsAlwaysAgreeWithAReferenceDisk() {
        Harness h = new Harness();
        byte[] model = new byte[(int) (BLOCKS * BS)];
        Random rnd = new Random(20261124L);
        for (int step = 0; step < STEPS; step++) {
            int blocks = 1 + rnd.nextInt(16);
            long lba = rnd.nextInt(10) == 0 ? BLOCKS - rnd.nextInt(8) : rnd.nextInt((int) BLOCKS - blocks);
            boolean inRange = lba + blocks <= BLOCKS;
            int op = rnd.nextInt(5);
            String what = "step " + step + " op " + op + " lba " + lba + " blocks " + blocks;
            ScsiResult r;
            switch (op) {
                case 0 -> {
                    byte[] d = new byte[blocks * BS];
                    rnd.nextBytes(d);
                    r = h.run(rw10(0x2A, rnd.nextBoolean() ? 0x08 : 0, lba, blocks), d);
                    if (inRange) {
                        System.arraycopy(d, 0, model, (int) lba * BS, d.length);
                    }
                }
                case 1 -> {
                    byte[] one = new byte[BS];
                    rnd.nextBytes(one);
                    r = h.run(rw16(0x93, 0, lba, blocks), one);
                    if (inRange) {
                        for (int b = 0; b < blocks; b++) {
                            System.arraycopy(one, 0, model, (int) (lba + b) * BS, BS);
                        }
                    }
                }
                case 2 -> {
                    byte[] d = new byte[blocks * BS];
                    rnd.nextBytes(d);
                    r = h.run(rw16(0x8B, 0, lba, blocks), d);
                    if (inRange) {
                        for (int i = 0; i < d.length; i++) {
                            model[(int) lba * BS + i] |= d[i];
                        }
                    }
                }
                case 3 -> {
                    byte[] expect = inRange
                            ? Arrays.copyOfRange(model, (int) lba * BS, (int) (lba + blocks) * BS)
                            : new byte[blocks * BS];
                    r = h.run(rw10(0x2F, 0x02, lba, blocks), expect);
                }
                default -> {
                    r = h.run(rw16(0x88, 0, lba, blocks));
                    if (inRange) {
                        assertArrayEquals(Arrays.copyOfRange(model, (int) lba * BS, (int) (lba + blocks) * BS),
                                Harness.data(r), what);
                    }
                }
            }
            if (inRange) {
                assertEquals(ScsiResult.GOOD, r.status(), what);
            } else {
                Harness.assertSense(r, SenseReason.LBA_OUT_OF_RANGE);
            }
        }
        byte[] all = new byte[(int) (BLOCKS * BS)];
        for (long lba = 0; lba < BLOCKS; lba += 256) {
            byte[] d = Harness.data(h.run(rw16(0x88, 0, lba, 256)));
            System.arraycopy(d, 0, all, (int) lba * BS, d.length);
        }
        assertArrayEquals(model, all);
    }
}
