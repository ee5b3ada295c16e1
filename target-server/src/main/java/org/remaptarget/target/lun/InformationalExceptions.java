package org.remaptarget.target.lun;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.remaptarget.target.lun.UnitAttentions.PortKey;
import org.remaptarget.target.scsi.Nexus;
import org.remaptarget.target.scsi.SenseReason;

/**
 * Informational exceptions of one LU (SPC-4 §7.5.8, page 1Ch): a predicted failure of the backend (5D/00) or a
 * test failure requested with the TEST bit (5D/FF), reported by the method MRIE selects — 2 unit attention,
 * 3 and 4 RECOVERED ERROR on the next successful command (3 only when PER is set), 5 NO SENSE on the next
 * successful command, 6 only through REQUEST SENSE. Each condition is reported once per I_T nexus.
 *
 * <p>Hot path: {@link #pending} costs one volatile read of the mode values while DEXCPT is set (the default) and
 * one cheap backend probe otherwise. Locks: none; sets and flags are concurrent.
 */
public final class InformationalExceptions {
    private final AtomicBoolean testArmed = new AtomicBoolean();
    private final Set<PortKey> testReported = ConcurrentHashMap.newKeySet();
    private final Set<PortKey> failureReported = ConcurrentHashMap.newKeySet();

    /** MODE SELECT set TEST (with DEXCPT clear): report a test failure to every nexus once. */
    public void armTest() {
        testReported.clear();
        testArmed.set(true);
    }

    /** TEST was cleared or exceptions disabled. */
    public void disarmTest() {
        testArmed.set(false);
    }

    /**
     * The condition to report to {@code nexus} now, in the sense key MRIE calls for, or null; marks it reported.
     * {@code onRequest} is true for REQUEST SENSE (the only way MRIE 6 reports).
     */
    SenseReason pending(ModeValues mode, Nexus nexus, boolean failurePredicted, boolean onRequest) {
        if (mode.dexcpt() || mode.mrie() < 2) {
            return null;
        }
        int mrie = mode.mrie();
        if (mrie == 6 && !onRequest || mrie == 3 && !mode.per()) {
            return null;
        }
        boolean test = testArmed.get();
        if (!test && !failurePredicted) {
            return null;
        }
        PortKey key = PortKey.of(nexus);
        if (test && testReported.add(key)) {
            return reason(mrie, true);
        }
        if (failurePredicted && failureReported.add(key)) {
            return reason(mrie, false);
        }
        return null;
    }

    private static SenseReason reason(int mrie, boolean test) {
        return switch (mrie) {
            case 2 -> test ? SenseReason.FAILURE_PREDICTION_TEST_UNIT_ATTENTION
                    : SenseReason.FAILURE_PREDICTION_UNIT_ATTENTION;
            case 3, 4 -> test ? SenseReason.FAILURE_PREDICTION_TEST_RECOVERED
                    : SenseReason.FAILURE_PREDICTION_RECOVERED;
            default -> test ? SenseReason.FAILURE_PREDICTION_TEST_NO_SENSE : SenseReason.FAILURE_PREDICTION_NO_SENSE;
        };
    }
}
