package org.remaptarget.target.scsi.spc;

import java.io.ByteArrayOutputStream;
import org.remaptarget.target.lun.LogicalUnit;
import org.remaptarget.target.lun.ModeValues;
import org.remaptarget.target.scsi.Command;
import org.remaptarget.target.scsi.CommandHandler;
import org.remaptarget.target.scsi.ScsiFailure;
import org.remaptarget.target.scsi.ScsiResult;
import org.remaptarget.target.scsi.SenseReason;

/**
 * MODE SENSE (6) and (10) (SPC-4 §6.11, §6.12): header with the device-specific parameter (WP, DPOFUA), an
 * optional short or long LBA block descriptor (DBD, LLBAA), and the pages of {@link ModePages} for page control
 * current, changeable or default; saved values are not supported (39/00). Stateless.
 */
final class ModeSenseHandler implements CommandHandler {
    private final boolean ten;

    ModeSenseHandler(boolean ten) {
        this.ten = ten;
    }

    @Override
    public ScsiResult execute(Command c) throws ScsiFailure {
        LogicalUnit lu = c.lu();
        boolean dbd = c.bit(1, 3);
        boolean llbaa = ten && c.bit(1, 4);
        int pc = c.u8(2) >>> 6;
        int page = c.u8(2) & 0x3F;
        int subpage = c.u8(3);
        long alloc = ten ? c.u16(7) : c.u8(4);
        if (pc == ModePages.PC_SAVED) {
            throw ScsiFailure.of(SenseReason.SAVING_PARAMETERS_NOT_SUPPORTED);
        }
        if (subpage != 0 && subpage != 0xFF) {
            throw ScsiFailure.cdb(3);
        }
        if (page != 0x3F && !ModePages.supported(page)) {
            throw ScsiFailure.cdb(2, 5);
        }
        ModeValues values = switch (pc) {
            case ModePages.PC_DEFAULT -> ModeValues.defaults(lu.settings().writeCacheEnabled());
            default -> lu.mode();
        };
        boolean mask = pc == ModePages.PC_CHANGEABLE;
        ByteArrayOutputStream pages = new ByteArrayOutputStream(64);
        if (page == 0x3F) {
            for (int code : ModePages.CODES) {
                pages.writeBytes(ModePages.encode(code, values, mask));
            }
        } else {
            pages.writeBytes(ModePages.encode(page, values, mask));
        }
        byte[] desc = dbd ? new byte[0] : blockDescriptor(lu, llbaa);
        int headerLen = ten ? 8 : 4;
        byte[] d = new byte[headerLen + desc.length + pages.size()];
        int dsp = (lu.readOnly() || lu.mode().swp() ? 0x80 : 0) | 0x10; // WP, DPOFUA
        if (ten) {
            InquiryHandler.put16(d, 0, d.length - 2);
            d[3] = (byte) dsp;
            d[4] = (byte) (desc.length == 16 ? 0x01 : 0);
            InquiryHandler.put16(d, 6, desc.length);
        } else {
            d[0] = (byte) Math.min(255, d.length - 1);
            d[2] = (byte) dsp;
            d[3] = (byte) desc.length;
        }
        System.arraycopy(desc, 0, d, headerLen, desc.length);
        byte[] p = pages.toByteArray();
        System.arraycopy(p, 0, d, headerLen + desc.length, p.length);
        return Command.dataIn(d, d.length, alloc);
    }

    private static byte[] blockDescriptor(LogicalUnit lu, boolean longLba) {
        if (longLba) {
            byte[] b = new byte[16];
            long n = lu.blockCount();
            for (int i = 0; i < 8; i++) {
                b[i] = (byte) (n >>> (56 - 8 * i));
            }
            InquiryHandler.put32(b, 12, lu.blockSize());
            return b;
        }
        byte[] b = new byte[8];
        InquiryHandler.put32(b, 0, Math.min(lu.blockCount(), 0xFFFFFFFFL));
        b[5] = (byte) (lu.blockSize() >>> 16);
        b[6] = (byte) (lu.blockSize() >>> 8);
        b[7] = (byte) lu.blockSize();
        return b;
    }
}
