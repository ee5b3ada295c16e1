package org.remaptarget.target.scsi.sbc;

import org.remaptarget.target.backend.LbaRun;
import org.remaptarget.target.lun.LogicalUnit;
import org.remaptarget.target.lun.RangeLocks;
import org.remaptarget.target.scsi.Command;
import org.remaptarget.target.scsi.ScsiFailure;
import org.remaptarget.target.scsi.ScsiResult;
import org.remaptarget.target.scsi.SenseReason;

/**
 * Logical block provisioning (SBC-3 §4.7): UNMAP (§5.28) and GET LBA STATUS (§5.8) for thin-provisioned LUs, and
 * the limits the block limits VPD page reports for them. A deallocated block reads as zeros (LBPRZ = 1); anchored
 * state is not supported (ANC_SUP = 0, ANCHOR → 24/00). On a fully provisioned LU UNMAP is INVALID OPERATION CODE
 * and GET LBA STATUS reports every block mapped. Stateless.
 *
 * <p>UNMAP validates the whole parameter list before deallocating anything: parameter list length 1..7 → 1A/00;
 * block descriptor data length beyond the list, or more descriptors than {@link #MAX_UNMAP_DESCRIPTORS}, or a
 * descriptor longer than {@link #MAX_UNMAP_BLOCKS} → 26/00 pointing at the field; a range beyond capacity → 21/00.
 */
final class ProvisioningHandlers {
    /** MAXIMUM UNMAP LBA COUNT (VPD B0h). */
    static final long MAX_UNMAP_BLOCKS = 1L << 20;
    /** MAXIMUM UNMAP BLOCK DESCRIPTOR COUNT (VPD B0h). */
    static final int MAX_UNMAP_DESCRIPTORS = 256;
    /** Most LBA status descriptors one GET LBA STATUS returns. */
    static final int MAX_STATUS_DESCRIPTORS = 256;

    private ProvisioningHandlers() {
    }

    /** OPTIMAL UNMAP GRANULARITY in blocks: one 4 KiB file-system block. */
    static int unmapGranularity(int blockSize) {
        return Math.max(1, 4096 / blockSize);
    }

    static ScsiResult unmap(Command c) throws ScsiFailure {
        LogicalUnit lu = c.lu();
        int len = c.u16(7);
        c.setTransferLength(len);
        if (!lu.thin()) {
            throw ScsiFailure.of(SenseReason.INVALID_OPERATION_CODE);
        }
        if (c.bit(1, 0)) { // ANCHOR: anchored LBAs are not supported (ANC_SUP = 0)
            throw ScsiFailure.cdb(1, 0);
        }
        c.requireWritable();
        if (len == 0) {
            return ScsiResult.good();
        }
        if (len < 8) {
            throw ScsiFailure.of(SenseReason.PARAMETER_LIST_LENGTH_ERROR);
        }
        byte[] d = c.parameterList(len);
        int bddl = u16(d, 2);
        if (bddl > len - 8) {
            throw ScsiFailure.param(2);
        }
        int count = bddl / 16;
        if (count > MAX_UNMAP_DESCRIPTORS) {
            throw ScsiFailure.param(2);
        }
        long cap = lu.blockCount();
        for (int i = 0; i < count; i++) {
            int off = 8 + 16 * i;
            long lba = u64(d, off);
            long blocks = u32(d, off + 8);
            if (blocks > MAX_UNMAP_BLOCKS) {
                throw ScsiFailure.param(off + 8);
            }
            if (lba < 0 || lba > cap || blocks > cap - lba) {
                throw ScsiFailure.of(SenseReason.LBA_OUT_OF_RANGE);
            }
        }
        long total = 0;
        for (int i = 0; i < count; i++) {
            int off = 8 + 16 * i;
            long lba = u64(d, off);
            long blocks = u32(d, off + 8);
            if (blocks == 0) {
                continue;
            }
            try (RangeLocks.Held h = lu.rangeLocks().lock(lba, blocks)) {
                lu.backend().writeZeros(lba, blocks);
            }
            total += blocks;
        }
        if (total > 0) {
            lu.countWrite(0);
        }
        return ScsiResult.goodTransferred(len);
    }

    static ScsiResult getLbaStatus(Command c) throws ScsiFailure {
        LogicalUnit lu = c.lu();
        long lba = c.u64(2);
        long alloc = c.u32(10);
        if (lba < 0 || lba >= lu.blockCount()) {
            throw ScsiFailure.of(SenseReason.LBA_OUT_OF_RANGE);
        }
        int max = (int) Math.max(1, Math.min(MAX_STATUS_DESCRIPTORS, (alloc - 8) / 16));
        byte[] d = new byte[8 + 16 * max];
        int n = 0;
        long at = lba;
        long cap = lu.blockCount();
        while (n < max && at < cap) {
            long want = Math.min(cap - at, 0xFFFFFFFFL);
            LbaRun run = lu.thin() ? lu.backend().lbaStatus(at, want) : new LbaRun(true, want);
            long len = Math.min(run.blocks(), want);
            if (n > 0 && ((d[8 + 16 * (n - 1) + 12] & 0x0F) == 0) == run.mapped()
                    && u32(d, 8 + 16 * (n - 1) + 8) + len <= 0xFFFFFFFFL) {
                int prev = 8 + 16 * (n - 1);
                put32(d, prev + 8, u32(d, prev + 8) + len); // merge with the previous run of the same state
            } else {
                int off = 8 + 16 * n;
                put64(d, off, at);
                put32(d, off + 8, len);
                d[off + 12] = (byte) (run.mapped() ? 0 : 1); // 0 mapped, 1 deallocated
                n++;
            }
            at += len;
        }
        int total = 8 + 16 * n;
        put32(d, 0, total - 4);
        return Command.dataIn(d, total, alloc);
    }

    static int u16(byte[] d, int off) {
        return ((d[off] & 0xff) << 8) | (d[off + 1] & 0xff);
    }

    static long u32(byte[] d, int off) {
        return ((long) u16(d, off) << 16) | u16(d, off + 2);
    }

    static long u64(byte[] d, int off) {
        return (u32(d, off) << 32) | u32(d, off + 4);
    }

    static void put32(byte[] d, int off, long v) {
        d[off] = (byte) (v >>> 24);
        d[off + 1] = (byte) (v >>> 16);
        d[off + 2] = (byte) (v >>> 8);
        d[off + 3] = (byte) v;
    }

    static void put64(byte[] d, int off, long v) {
        put32(d, off, v >>> 32);
        put32(d, off + 4, v);
    }
}
