package org.remaptarget.target.scsi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.remaptarget.target.testing.Fuzzer;

/**
 * Random CDBs (mutations of the fuzz/cdb corpus) with random Data-Out through {@link TargetCore#submit} over a
 * memory LUN: every task completes exactly once with a SCSI status, a CHECK CONDITION carries well-formed sense,
 * and nothing throws.
 */
class CdbFuzzTest {
    private static final Set<Integer> STATUSES = Set.of(ScsiResult.GOOD, ScsiResult.CHECK_CONDITION,
            ScsiResult.CONDITION_MET, ScsiResult.BUSY, ScsiResult.RESERVATION_CONFLICT, ScsiResult.TASK_SET_FULL);

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
            Nexus n = f.random().nextBoolean() ? h.a : h.b;
            AtomicReference<ScsiResult> result = new AtomicReference<>();
            AtomicInteger completions = new AtomicInteger();
            h.core.submit(h.task(n, lun, cdb, out, TaskAttribute.SIMPLE, r -> {
                completions.incrementAndGet();
                result.set(r);
            }));
            assertEquals(1, completions.get(), "completed exactly once");
            ScsiResult r = result.get();
            assertNotNull(r);
            assertTrue(STATUSES.contains(r.status()), "status 0x" + Integer.toHexString(r.status()));
            if (r.status() == ScsiResult.CHECK_CONDITION) {
                outcomes[1]++;
                assertNotNull(r.sense());
                assertTrue(r.sense().length >= 8);
                int code = r.sense()[0] & 0x7f;
                assertTrue(code == 0x70 || code == 0x72, "sense response code 0x" + Integer.toHexString(code));
            } else if (r.status() == ScsiResult.GOOD) {
                outcomes[0]++;
            }
            if (r.dataIn() != null) {
                assertTrue(r.dataInLength() <= r.dataIn().length);
            }
        });
        assertTrue(runs >= 1000, "only " + runs + " inputs ran");
        assertTrue(outcomes[0] > 0 && outcomes[1] > 0, outcomes[0] + "/" + outcomes[1]);
    }
}
