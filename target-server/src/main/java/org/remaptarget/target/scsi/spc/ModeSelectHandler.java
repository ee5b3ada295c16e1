package org.remaptarget.target.scsi.spc;

import org.remaptarget.target.lun.LogicalUnit;
import org.remaptarget.target.lun.ModeValues;
import org.remaptarget.target.scsi.Command;
import org.remaptarget.target.scsi.CommandHandler;
import org.remaptarget.target.scsi.ScsiFailure;
import org.remaptarget.target.scsi.ScsiResult;
import org.remaptarget.target.scsi.SenseReason;

/**
 * MODE SELECT (6) and (10) (SPC-4 §6.9, §6.10): validates the whole parameter list first (header, block
 * descriptor, every page) and then swaps in the new mode values atomically; a change raises MODE PARAMETERS
 * CHANGED (2A/01) for every other nexus. Saving (SP=1) is not supported. Stateless.
 */
final class ModeSelectHandler implements CommandHandler {
    private static final int MAX_RETRIES = 8;
    private final boolean ten;

    ModeSelectHandler(boolean ten) {
        this.ten = ten;
    }

    @Override
    public ScsiResult execute(Command c) throws ScsiFailure {
        LogicalUnit lu = c.lu();
        int length = ten ? c.u16(7) : c.u8(4);
        c.setTransferLength(length);
        if (c.bit(1, 0)) {
            throw ScsiFailure.cdb(1, 0);
        }
        if (length == 0) {
            return ScsiResult.good();
        }
        if (!c.bit(1, 4)) {
            throw ScsiFailure.cdb(1, 4);
        }
        byte[] d = c.parameterList(length);
        int headerLen = ten ? 8 : 4;
        if (length < headerLen) {
            throw ScsiFailure.of(SenseReason.PARAMETER_LIST_LENGTH_ERROR);
        }
        int bdl = ten ? ((d[6] & 0xff) << 8) | (d[7] & 0xff) : d[3] & 0xff;
        boolean longLba = ten && (d[4] & 0x01) != 0;
        if (headerLen + bdl > length) {
            throw ScsiFailure.of(SenseReason.PARAMETER_LIST_LENGTH_ERROR);
        }
        if (bdl != 0 && bdl != (longLba ? 16 : 8)) {
            throw ScsiFailure.param(ten ? 6 : 3);
        }
        if (bdl != 0) {
            checkBlockDescriptor(lu, d, headerLen, longLba);
        }
        for (int attempt = 0; attempt < MAX_RETRIES; attempt++) {
            ModeValues cur = lu.mode();
            ModeValues next = cur;
            int pos = headerLen + bdl;
            while (pos < length) {
                if (length - pos < 2) {
                    throw ScsiFailure.of(SenseReason.PARAMETER_LIST_LENGTH_ERROR);
                }
                if ((d[pos] & 0x40) != 0) { // SPF: no subpages implemented
                    throw ScsiFailure.param(pos, 6);
                }
                int pageLen = d[pos + 1] & 0xff;
                if (pos + 2 + pageLen > length) {
                    throw ScsiFailure.of(SenseReason.PARAMETER_LIST_LENGTH_ERROR);
                }
                next = ModePages.apply(d, pos, next);
                pos += 2 + pageLen;
            }
            if (next.equals(cur)) {
                return ScsiResult.good();
            }
            if (lu.replaceMode(cur, next)) {
                lu.unitAttentions().establishForOthers(c.nexus(), SenseReason.MODE_PARAMETERS_CHANGED);
                if (next.test() && !next.dexcpt()) {
                    lu.informationalExceptions().armTest();
                } else {
                    lu.informationalExceptions().disarmTest();
                }
                return ScsiResult.good();
            }
        }
        throw ScsiFailure.of(SenseReason.INTERNAL_TARGET_FAILURE);
    }

    private static void checkBlockDescriptor(LogicalUnit lu, byte[] d, int off, boolean longLba)
            throws ScsiFailure {
        long blocks;
        long blockLength;
        int lengthField;
        if (longLba) {
            blocks = 0;
            for (int i = 0; i < 8; i++) {
                blocks = (blocks << 8) | (d[off + i] & 0xff);
            }
            lengthField = off + 12;
            blockLength = ((d[off + 12] & 0xffL) << 24) | ((d[off + 13] & 0xff) << 16)
                    | ((d[off + 14] & 0xff) << 8) | (d[off + 15] & 0xff);
        } else {
            blocks = ((d[off] & 0xffL) << 24) | ((d[off + 1] & 0xff) << 16) | ((d[off + 2] & 0xff) << 8)
                    | (d[off + 3] & 0xff);
            lengthField = off + 5;
            blockLength = ((d[off + 5] & 0xff) << 16) | ((d[off + 6] & 0xff) << 8) | (d[off + 7] & 0xff);
        }
        long reported = longLba ? lu.blockCount() : Math.min(lu.blockCount(), 0xFFFFFFFFL);
        if (blocks != 0 && blocks != reported) {
            throw ScsiFailure.param(off);
        }
        if (blockLength != lu.blockSize()) {
            throw ScsiFailure.param(lengthField);
        }
    }
}
