package org.remaptarget.target.scsi.sbc;

import org.remaptarget.target.lun.LogicalUnit;
import org.remaptarget.target.scsi.Command;
import org.remaptarget.target.scsi.ScsiFailure;
import org.remaptarget.target.scsi.ScsiResult;

/**
 * SYNCHRONIZE CACHE (10)/(16) and PRE-FETCH (10)/(16) (SBC-3 §5.18, §5.8–5.9). The range is validated (21/00);
 * SYNCHRONIZE CACHE then flushes the whole device (a flush cannot be narrower than the device's) and returns
 * after the flush even with IMMED set (allowed, and safer). PRE-FETCH answers GOOD: this LU has no cache of its own
 * that could hold the blocks, which SBC reports as GOOD rather than CONDITION MET. Stateless.
 */
final class CacheHandlers {
    private CacheHandlers() {
    }

    static ScsiResult synchronizeCache10(Command c) throws ScsiFailure {
        return sync(c, BlockRange.parse(c, 10));
    }

    static ScsiResult synchronizeCache16(Command c) throws ScsiFailure {
        return sync(c, BlockRange.parse(c, 16));
    }

    private static ScsiResult sync(Command c, BlockRange r) throws ScsiFailure {
        LogicalUnit lu = c.lu();
        c.checkRange(r.lba(), r.blocks());
        lu.backend().flush();
        return ScsiResult.good();
    }

    static ScsiResult preFetch10(Command c) throws ScsiFailure {
        return preFetch(c, BlockRange.parse(c, 10));
    }

    static ScsiResult preFetch16(Command c) throws ScsiFailure {
        return preFetch(c, BlockRange.parse(c, 16));
    }

    private static ScsiResult preFetch(Command c, BlockRange r) throws ScsiFailure {
        c.checkRange(r.lba(), r.blocks());
        return ScsiResult.good();
    }
}
