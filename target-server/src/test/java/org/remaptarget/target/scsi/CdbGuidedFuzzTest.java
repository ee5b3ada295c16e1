package org.remaptarget.target.scsi;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing (Jazzer) of the whole SCSI core: each input is a short sequence of commands (so state such
 * as mode pages, reservations and thin-provisioned blocks carries from one to the next) from either of two
 * initiators, each a CDB with optional Data-Out, run through {@link TargetCore#submit} on a fresh memory LUN and
 * checked by {@link ScsiFuzzCheck}. Regression inputs: {@code CdbGuidedFuzzTestInputs/}.
 */
class CdbGuidedFuzzTest {
    private static final int[] CDB_LENGTHS = {6, 10, 12, 16, 32};

    @FuzzTest(maxDuration = "1m")
    void anyCdbAndDataGetAStatusAndValidSense(FuzzedDataProvider data) {
        Harness h = new Harness();
        int commands = data.consumeInt(1, 4);
        for (int i = 0; i < commands && data.remainingBytes() > 0; i++) {
            Nexus n = data.consumeBoolean() ? h.a : h.b;
            long lun = data.consumeInt(0, 15) == 0 ? data.consumeInt(0, 2) : 0;
            int length = data.consumeBoolean() ? data.pickValue(CDB_LENGTHS) : data.consumeInt(1, 32);
            byte[] out = switch (data.consumeInt(0, 3)) {
                case 1 -> data.consumeBytes(data.consumeInt(0, 4096));
                case 2 -> new byte[Harness.BS * data.consumeInt(1, 8)];
                default -> null;
            };
            byte[] cdb = data.consumeBytes(length);
            if (cdb.length > 0) {
                ScsiFuzzCheck.submit(h, n, lun, cdb, out);
            }
        }
    }
}
