package org.remaptarget.target.scsi.spc;

import java.io.ByteArrayOutputStream;
import org.remaptarget.target.scsi.Command;
import org.remaptarget.target.scsi.CommandHandler;
import org.remaptarget.target.scsi.CommandSpec;
import org.remaptarget.target.scsi.CommandTable;
import org.remaptarget.target.scsi.ScsiFailure;
import org.remaptarget.target.scsi.ScsiResult;

/**
 * REPORT SUPPORTED OPERATION CODES (SPC-4 §6.35), generated from the command table: all commands (option 0), one
 * command by opcode (1), by opcode and service action (2), or either (3), with command timeouts descriptors when
 * RCTD is set. Stateless.
 */
final class ReportOpcodesHandler implements CommandHandler {
    @Override
    public ScsiResult execute(Command c) throws ScsiFailure {
        boolean rctd = c.bit(2, 7);
        int options = c.u8(2) & 0x07;
        int opcode = c.u8(3);
        int sa = c.u16(4);
        long alloc = c.u32(6);
        CommandTable table = c.target().commands();
        byte[] d;
        switch (options) {
            case 0 -> d = all(table, rctd);
            case 1 -> {
                if (table.hasServiceActions(opcode)) {
                    throw ScsiFailure.cdb(2, 2);
                }
                d = one(table.find(opcode, -1), rctd);
            }
            case 2 -> {
                if (!table.hasServiceActions(opcode)) {
                    throw ScsiFailure.cdb(2, 2);
                }
                d = one(sa > 31 ? null : table.find(opcode, sa), rctd);
            }
            case 3 -> d = one(table.hasServiceActions(opcode) ? (sa > 31 ? null : table.find(opcode, sa))
                    : table.find(opcode, -1), rctd);
            default -> throw ScsiFailure.cdb(2, 2);
        }
        return Command.dataIn(d, d.length, alloc);
    }

    private static byte[] all(CommandTable table, boolean rctd) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        out.writeBytes(new byte[4]);
        for (CommandSpec s : table.all()) {
            byte[] e = new byte[8];
            e[0] = (byte) s.opcode();
            if (s.serviceAction() >= 0) {
                InquiryHandler.put16(e, 2, s.serviceAction());
                e[5] = 0x01; // SERVACTV
            }
            if (rctd) {
                e[5] |= 0x02; // CTDP
            }
            InquiryHandler.put16(e, 6, s.cdbLength());
            out.writeBytes(e);
            if (rctd) {
                out.writeBytes(timeouts(s));
            }
        }
        byte[] d = out.toByteArray();
        InquiryHandler.put32(d, 0, d.length - 4);
        return d;
    }

    private static byte[] one(CommandSpec s, boolean rctd) {
        if (s == null) {
            byte[] d = new byte[4];
            d[1] = 0x01; // SUPPORT 001b: not supported
            return d;
        }
        byte[] usage = s.usage();
        byte[] d = new byte[4 + usage.length + (rctd ? 12 : 0)];
        d[1] = (byte) ((rctd ? 0x80 : 0) | 0x03); // CTDP, SUPPORT 011b: supported as the standard says
        InquiryHandler.put16(d, 2, usage.length);
        System.arraycopy(usage, 0, d, 4, usage.length);
        if (rctd) {
            System.arraycopy(timeouts(s), 0, d, 4 + usage.length, 12);
        }
        return d;
    }

    private static byte[] timeouts(CommandSpec s) {
        byte[] t = new byte[12];
        t[1] = 0x0A;
        InquiryHandler.put32(t, 4, s.timeoutSeconds());
        InquiryHandler.put32(t, 8, s.timeoutSeconds());
        return t;
    }
}
