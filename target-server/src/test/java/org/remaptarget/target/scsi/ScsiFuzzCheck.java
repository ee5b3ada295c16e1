package org.remaptarget.target.scsi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What every CDB fuzzer asserts of one command run through {@link TargetCore#submit} (the mutational
 * {@link CdbFuzzTest} and the coverage-guided {@link CdbGuidedFuzzTest}): nothing escapes, the task completes exactly
 * once with a SCSI status, Data-In never claims more bytes than it holds, and a CHECK CONDITION carries well-formed
 * sense (fixed 70h or descriptor 72h, additional length matching) whose key/ASC/ASCQ is one of the target's
 * {@link SenseReason}s.
 */
final class ScsiFuzzCheck {
    private static final Set<Integer> STATUSES = Set.of(ScsiResult.GOOD, ScsiResult.CHECK_CONDITION,
            ScsiResult.CONDITION_MET, ScsiResult.BUSY, ScsiResult.RESERVATION_CONFLICT, ScsiResult.TASK_SET_FULL);

    private ScsiFuzzCheck() {
    }

    /** Runs one command on {@code h} and checks the result as above; returns it. */
    static ScsiResult submit(Harness h, Nexus n, long lun, byte[] cdb, byte[] out) {
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
            assertValidSense(r.sense());
        }
        if (r.dataIn() != null) {
            assertTrue(r.dataInLength() <= r.dataIn().length);
        }
        r.releaseData();
        return r;
    }

    private static void assertValidSense(byte[] sense) {
        assertNotNull(sense, "CHECK CONDITION without sense");
        assertTrue(sense.length >= 8, "sense of " + sense.length + " bytes");
        int code = sense[0] & 0x7f;
        assertTrue(code == 0x70 || code == 0x72, "sense response code 0x" + Integer.toHexString(code));
        assertEquals(sense.length, 8 + (sense[7] & 0xff), "additional sense length");
        boolean fixed = code == 0x70;
        int key = (fixed ? sense[2] : sense[1]) & 0x0f;
        int asc = (fixed ? sense[12] : sense[2]) & 0xff;
        int ascq = (fixed ? sense[13] : sense[3]) & 0xff;
        assertTrue(EnumSet.allOf(SenseReason.class).stream()
                        .anyMatch(s -> s.key() == key && s.asc() == asc && s.ascq() == ascq),
                String.format("sense %X/%02X/%02X is no SenseReason", key, asc, ascq));
    }
}
