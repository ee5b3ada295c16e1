package org.remaptarget.target.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.remaptarget.target.scsi.Nexus;
import org.remaptarget.target.scsi.ScsiCore;
import org.remaptarget.target.scsi.ScsiResult;
import org.remaptarget.target.scsi.ScsiTask;
import org.remaptarget.target.scsi.TaskManagementFunction;
import org.remaptarget.target.scsi.TmfResponse;

/**
 * Per-initiator LUN masking in front of a target's SCSI core: a LUN the nexus may not see behaves exactly like a
 * LUN that does not exist (the core answers LOGICAL UNIT NOT SUPPORTED, and INQUIRY reports peripheral
 * qualifier 3), and REPORT LUNS lists only the visible LUNs. Tasks to visible LUNs pass through untouched.
 *
 * <p>Stateless besides the delegate and the mask; thread-safe.
 */
public final class MaskedScsiCore implements ScsiCore {
    /** A LUN number no logical unit can have (plain LUNs are 0..16383). */
    static final long NO_SUCH_LUN = Long.MAX_VALUE;
    private static final int REPORT_LUNS = 0xa0;

    /** Decides visibility: (initiator IQN, LUN) → visible. */
    @FunctionalInterface
    public interface LunMask {
        boolean visible(String initiatorName, long lun);
    }

    private final ScsiCore delegate;
    private final LunMask mask;

    /** The core this one masks. */
    public ScsiCore delegate() {
        return delegate;
    }

    public MaskedScsiCore(ScsiCore delegate, LunMask mask) {
        this.delegate = Objects.requireNonNull(delegate);
        this.mask = Objects.requireNonNull(mask);
    }

    @Override
    public void submit(ScsiTask task) {
        String initiator = task.nexus().initiatorName();
        if (task.opcode() == REPORT_LUNS && task.cdb().length >= 12) {
            delegate.submit(rewrap(task, task.lun(), r -> task.complete(filterReport(task.nexus(), r))));
        } else if (!mask.visible(initiator, task.lun())) {
            delegate.submit(rewrap(task, NO_SUCH_LUN, task::complete));
        } else {
            delegate.submit(task);
        }
    }

    private static ScsiTask rewrap(ScsiTask t, long lun, java.util.function.Consumer<ScsiResult> done) {
        return new ScsiTask(t.nexus(), lun, t.cdb(), t.attribute(), t.tag(), t.expectedDataTransferLength(),
                t.readExpected(), t.writeExpected(), t.dataOut(), t.dataOutLength(), done);
    }

    /** Drops hidden LUNs from a REPORT LUNS answer (list length recomputed from the full visible list). */
    private ScsiResult filterReport(Nexus nexus, ScsiResult r) {
        if (r.status() != ScsiResult.GOOD || r.dataIn() == null || r.dataInLength() < 8) {
            return r;
        }
        byte[] in = r.dataIn();
        int have = Math.min(r.dataInLength(), in.length);
        List<byte[]> kept = new ArrayList<>();
        for (int p = 8; p + 8 <= have; p += 8) {
            long lun = decodeLun(in, p);
            if (mask.visible(nexus.initiatorName(), lun)) {
                kept.add(java.util.Arrays.copyOfRange(in, p, p + 8));
            }
        }
        long total = 0;
        for (long lun : delegate.luns(nexus)) {
            if (mask.visible(nexus.initiatorName(), lun)) {
                total++;
            }
        }
        total = Math.max(total, kept.size());
        int len = Math.min(have, 8 + 8 * kept.size());
        byte[] out = new byte[len];
        long listBytes = 8 * total;
        byte[] header = {(byte) (listBytes >>> 24), (byte) (listBytes >>> 16), (byte) (listBytes >>> 8),
                (byte) listBytes, 0, 0, 0, 0};
        System.arraycopy(header, 0, out, 0, Math.min(8, len));
        for (int i = 0; i < kept.size() && 8 + 8 * i + 8 <= len; i++) {
            System.arraycopy(kept.get(i), 0, out, 8 + 8 * i, 8);
        }
        long transfer = r.transferLength() < 0 ? -1 : 8 + listBytes;
        return new ScsiResult(r.status(), r.sense(), out, out.length, transfer, r.aborted());
    }

    private static long decodeLun(byte[] d, int p) {
        int method = (d[p] & 0xc0) >>> 6;
        if (method == 1) {
            return ((d[p] & 0x3fL) << 8) | (d[p + 1] & 0xffL);
        }
        return d[p + 1] & 0xffL;
    }

    @Override
    public TmfResponse taskManagement(Nexus nexus, TaskManagementFunction function, long lun, long referencedTag) {
        return delegate.taskManagement(nexus, function, lun, referencedTag);
    }

    @Override
    public void nexusLost(Nexus nexus) {
        delegate.nexusLost(nexus);
    }

    @Override
    public List<Long> luns(Nexus nexus) {
        return delegate.luns(nexus).stream().filter(l -> mask.visible(nexus.initiatorName(), l)).toList();
    }
}
