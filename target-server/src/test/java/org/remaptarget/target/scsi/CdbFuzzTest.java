package org.remaptarget.target.scsi;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.remaptarget.target.testing.Fuzzer;

/**
 * Random CDBs (mutations of the fuzz/cdb corpus) with random Data-Out through {@link TargetCore#submit} over a
 * memory LUN, checked by {@link ScsiFuzzCheck}. The coverage-guided counterpart is {@link CdbGuidedFuzzTest}.
 */
class CdbFuzzTest {
    @Test
    void randomCdbsGetStatusAndSenseNeverAnException() {
        Harness h = new Harness();
        Fuzzer f = new Fuzzer(0x5eed_0003L, Fuzzer.corpus("cdb"), 32);
        int[] outcomes = new int[2];
        int runs = f.run("cdb", 100_000, 15_000, cdb -> {
            if (cdb.length == 0) {
                return;
            }
            byte[] out = null;
            int pick = f.random().nextInt(4);
            if (pick == 1) {
                out = new byte[f.random().nextInt(4097)];
                f.random().nextBytes(out);
            } else if (pick == 2) {
                out = new byte[512 * (1 + f.random().nextInt(4))];
            }
            long lun = f.random().nextInt(10) == 0 ? f.random().nextInt(3) : 0;
            ScsiResult r = ScsiFuzzCheck.submit(h, f.random().nextBoolean() ? h.a : h.b, lun, cdb, out);
            if (r.status() == ScsiResult.CHECK_CONDITION) {
                outcomes[1]++;
            } else if (r.status() == ScsiResult.GOOD) {
                outcomes[0]++;
            }
        });
        assertTrue(runs >= 1000, "only " + runs + " inputs ran");
        assertTrue(outcomes[0] > 0 && outcomes[1] > 0, outcomes[0] + "/" + outcomes[1]);
    }
}
