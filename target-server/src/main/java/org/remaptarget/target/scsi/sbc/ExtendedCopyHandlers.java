package org.remaptarget.target.scsi.sbc;

import java.util.Arrays;
import org.remaptarget.target.lun.CopyResults;
import org.remaptarget.target.lun.LogicalUnit;
import org.remaptarget.target.lun.RangeLocks;
import org.remaptarget.target.scsi.Command;
import org.remaptarget.target.scsi.ScsiFailure;
import org.remaptarget.target.scsi.ScsiResult;
import org.remaptarget.target.scsi.SenseReason;

/**
 * EXTENDED COPY (LID1) and RECEIVE COPY RESULTS (SPC-4 §6.4, §6.18): the copy manager of this LU copies blocks
 * between logical units of the same target (VMware's XCOPY / "full copy"). Supported descriptors: identification
 * descriptor target descriptors (E4h) whose designator is the NAA id of a LU of this target (VPD 83h), and
 * block-device-to-block-device segment descriptors (02h).
 *
 * <p>The whole parameter list is validated before any block moves: list lengths against the parameter list
 * (1A/00) and {@link #MAX_DESCRIPTOR_LIST_LENGTH} (1A/00), descriptor counts (26/06, 26/08), descriptor type codes
 * (26/07, 26/09), block lengths (26/00). Segments then run in order; a target index outside the list or a target
 * that is not one of this target's LUs is COPY ABORTED 0D/02, a range beyond either LU is COPY ABORTED 00/00, each
 * naming the failed segment in the held results. Each chunk is read from the source and written to the destination
 * under the destination's range locks; overlapping ranges of one LU copy like memmove. Results are held per
 * initiator port and list identifier unless LIST ID USAGE says not to. Stateless (held results live in the LU).
 */
final class ExtendedCopyHandlers {
    static final int MAX_TARGET_DESCRIPTORS = 8;
    static final int MAX_SEGMENT_DESCRIPTORS = 64;
    static final int MAX_DESCRIPTOR_LIST_LENGTH = 2048;
    /** MAXIMUM SEGMENT LENGTH in bytes (65535 blocks of 4 KiB fit: the field is in blocks of up to 65535). */
    static final long MAX_SEGMENT_BYTES = 65535L * 4096;

    private static final int HEADER = 16;
    private static final int TARGET_DESCRIPTOR = 32;
    private static final int B2B_SEGMENT = 28;
    private static final int IDENTIFICATION_TARGET = 0xE4;
    private static final int BLOCK_TO_BLOCK = 0x02;
    private static final int CHUNK_BYTES = 1 << 20;

    private ExtendedCopyHandlers() {
    }

    static ScsiResult extendedCopy(Command c) throws ScsiFailure {
        LogicalUnit lu = c.lu();
        long len = c.u32(10);
        c.setTransferLength(len);
        if (len == 0) {
            return ScsiResult.good();
        }
        if (len < HEADER) {
            throw ScsiFailure.of(SenseReason.PARAMETER_LIST_LENGTH_ERROR);
        }
        byte[] d = c.parameterList((int) Math.min(len, Integer.MAX_VALUE));
        int listId = d[0] & 0xff;
        int usage = (d[1] >>> 3) & 0x03;
        if ((d[1] & 0x20) != 0) { // STR: no stream devices here
            throw ScsiFailure.param(1, 5);
        }
        if (usage == 0x03 && listId != 0) {
            throw ScsiFailure.param(0);
        }
        int tdLen = ProvisioningHandlers.u16(d, 2);
        long sdLen = ProvisioningHandlers.u32(d, 8);
        long inline = ProvisioningHandlers.u32(d, 12);
        if (HEADER + tdLen + sdLen + inline > len || tdLen + sdLen > MAX_DESCRIPTOR_LIST_LENGTH) {
            throw ScsiFailure.of(SenseReason.PARAMETER_LIST_LENGTH_ERROR);
        }
        if (inline != 0) {
            throw ScsiFailure.param(12);
        }
        if (tdLen % TARGET_DESCRIPTOR != 0) {
            throw ScsiFailure.param(2);
        }
        int targets = tdLen / TARGET_DESCRIPTOR;
        if (targets > MAX_TARGET_DESCRIPTORS) {
            throw ScsiFailure.of(SenseReason.TOO_MANY_TARGET_DESCRIPTORS);
        }
        LogicalUnit[] resolved = new LogicalUnit[targets];
        for (int i = 0; i < targets; i++) {
            resolved[i] = target(c, d, HEADER + TARGET_DESCRIPTOR * i);
        }
        int segStart = HEADER + tdLen;
        int segEnd = (int) (segStart + sdLen);
        int segments = 0;
        for (int p = segStart; p < segEnd; segments++) {
            if (segments == MAX_SEGMENT_DESCRIPTORS) {
                throw ScsiFailure.of(SenseReason.TOO_MANY_SEGMENT_DESCRIPTORS);
            }
            if (p + 4 > segEnd) {
                throw ScsiFailure.of(SenseReason.PARAMETER_LIST_LENGTH_ERROR);
            }
            if ((d[p] & 0xff) != BLOCK_TO_BLOCK) {
                throw ScsiFailure.of(SenseReason.UNSUPPORTED_SEGMENT_DESCRIPTOR_TYPE_CODE);
            }
            if (ProvisioningHandlers.u16(d, p + 2) != B2B_SEGMENT - 4 || p + B2B_SEGMENT > segEnd) {
                throw ScsiFailure.param(p + 2);
            }
            p += B2B_SEGMENT;
        }
        c.requireWritable();
        CopyResults held = usage == 0x00 || usage == 0x01 ? lu.copyResults() : null;
        String port = c.nexus().initiatorPort();
        long bytes = 0;
        for (int s = 0; s < segments; s++) {
            int p = segStart + B2B_SEGMENT * s;
            try {
                bytes += segment(d, p, resolved);
            } catch (ScsiFailure f) {
                if (held != null) {
                    held.put(port, listId, new CopyResults.Status(true, true, s, bytes));
                }
                throw f;
            }
        }
        if (held != null) {
            held.put(port, listId, new CopyResults.Status(true, false, segments, bytes));
        }
        return ScsiResult.goodTransferred(len);
    }

    /** Resolves one target descriptor to a LU of this target, or null when it names none (checked per segment). */
    private static LogicalUnit target(Command c, byte[] d, int p) throws ScsiFailure {
        int type = d[p] & 0xff;
        if (type != IDENTIFICATION_TARGET) {
            throw ScsiFailure.of(SenseReason.UNSUPPORTED_TARGET_DESCRIPTOR_TYPE_CODE);
        }
        if ((d[p + 1] & 0x1F) != 0) { // peripheral device type: only block devices
            throw ScsiFailure.param(p + 1, 4);
        }
        int codeSet = d[p + 4] & 0x0F;
        int desigType = d[p + 5] & 0x0F;
        int desigLen = d[p + 7] & 0xff;
        if (desigLen > 20) {
            throw ScsiFailure.param(p + 7);
        }
        byte[] id = Arrays.copyOfRange(d, p + 8, p + 8 + desigLen);
        long blockLength = ProvisioningHandlers.u32(d, p + 28) & 0xFFFFFF;
        LogicalUnit match = null;
        if (codeSet == 1 && desigType == 3) { // binary NAA
            for (long lun : c.target().lunNumbers()) {
                LogicalUnit candidate = c.target().logicalUnit(lun);
                if (candidate != null && Arrays.equals(candidate.settings().naaId(), id)) {
                    match = candidate;
                    break;
                }
            }
        }
        if (match != null && blockLength != match.blockSize()) {
            throw ScsiFailure.param(p + 29);
        }
        return match;
    }

    /** Runs one block-to-block segment; returns the bytes copied. */
    private static long segment(byte[] d, int p, LogicalUnit[] targets) throws ScsiFailure {
        int si = ProvisioningHandlers.u16(d, p + 4);
        int di = ProvisioningHandlers.u16(d, p + 6);
        if (si >= targets.length || di >= targets.length || targets[si] == null || targets[di] == null) {
            throw ScsiFailure.of(SenseReason.COPY_TARGET_DEVICE_NOT_REACHABLE);
        }
        LogicalUnit src = targets[si];
        LogicalUnit dst = targets[di];
        long blocks = ProvisioningHandlers.u16(d, p + 10);
        long srcLba = ProvisioningHandlers.u64(d, p + 12);
        long dstLba = ProvisioningHandlers.u64(d, p + 20);
        if (!inside(src, srcLba, blocks) || !inside(dst, dstLba, blocks)) {
            throw ScsiFailure.of(SenseReason.COPY_ABORTED);
        }
        if (dst.readOnly() || dst.mode().swp()) {
            throw ScsiFailure.of(dst.readOnly() ? SenseReason.WRITE_PROTECTED : SenseReason.SOFTWARE_WRITE_PROTECTED);
        }
        int bs = src.blockSize();
        int per = Math.max(1, CHUNK_BYTES / bs);
        byte[] buf = new byte[(int) Math.min(blocks, per) * bs];
        boolean backwards = src == dst && dstLba > srcLba && dstLba < srcLba + blocks;
        long done = 0;
        while (done < blocks) {
            int n = (int) Math.min(per, blocks - done);
            long off = backwards ? blocks - done - n : done;
            src.backend().read(srcLba + off, n, buf, 0);
            try (RangeLocks.Held h = dst.rangeLocks().lock(dstLba + off, n)) {
                dst.backend().write(dstLba + off, n, buf, 0, !dst.mode().wce());
            }
            done += n;
        }
        src.countRead(blocks * bs);
        dst.countWrite(blocks * bs);
        return blocks * bs;
    }

    private static boolean inside(LogicalUnit lu, long lba, long blocks) {
        return lba >= 0 && lba <= lu.blockCount() && blocks <= lu.blockCount() - lba;
    }

    static ScsiResult receiveCopyResults(Command c) throws ScsiFailure {
        int sa = c.u8(1) & 0x1F;
        long alloc = c.u32(10);
        return switch (sa) {
            case 0x00 -> copyStatus(c, alloc);
            case 0x03 -> operatingParameters(alloc);
            default -> throw ScsiFailure.cdb(1, 4);
        };
    }

    private static ScsiResult copyStatus(Command c, long alloc) throws ScsiFailure {
        int listId = c.u8(2);
        CopyResults.Status s = c.lu().copyResults().get(c.nexus().initiatorPort(), listId);
        if (s == null) {
            throw ScsiFailure.cdb(2);
        }
        byte[] d = new byte[12];
        ProvisioningHandlers.put32(d, 0, 8);
        d[4] = (byte) (s.completed() ? (s.failed() ? 0x02 : 0x01) : 0x00); // COPY MANAGER STATUS
        d[5] = (byte) (s.segmentsProcessed() >>> 8);
        d[6] = (byte) s.segmentsProcessed();
        d[7] = 0x00;                                                       // TRANSFER COUNT UNITS: bytes
        ProvisioningHandlers.put32(d, 8, Math.min(s.bytes(), 0xFFFFFFFFL));
        return Command.dataIn(d, d.length, alloc);
    }

    private static ScsiResult operatingParameters(long alloc) {
        int[] codes = {BLOCK_TO_BLOCK, IDENTIFICATION_TARGET};
        byte[] d = new byte[44 + codes.length];
        ProvisioningHandlers.put32(d, 0, d.length - 4);
        d[4] = 0x01;                                                   // SNLID: LIST ID USAGE 11b supported
        d[8] = (byte) (MAX_TARGET_DESCRIPTORS >>> 8);
        d[9] = (byte) MAX_TARGET_DESCRIPTORS;
        d[10] = (byte) (MAX_SEGMENT_DESCRIPTORS >>> 8);
        d[11] = (byte) MAX_SEGMENT_DESCRIPTORS;
        ProvisioningHandlers.put32(d, 12, MAX_DESCRIPTOR_LIST_LENGTH);
        ProvisioningHandlers.put32(d, 16, MAX_SEGMENT_BYTES);
        // 20..27: no inline or held data; 28..31: no stream devices
        d[35] = 1;                                                     // TOTAL CONCURRENT COPIES
        d[36] = 1;                                                     // MAXIMUM CONCURRENT COPIES
        d[37] = 9;                                                     // DATA SEGMENT GRANULARITY: 512 bytes
        d[43] = (byte) codes.length;
        for (int i = 0; i < codes.length; i++) {
            d[44 + i] = (byte) codes[i];
        }
        return Command.dataIn(d, d.length, alloc);
    }
}
