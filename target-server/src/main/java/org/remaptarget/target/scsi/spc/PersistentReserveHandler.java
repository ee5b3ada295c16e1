package org.remaptarget.target.scsi.spc;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.remaptarget.target.lun.LogicalUnit;
import org.remaptarget.target.lun.PersistentReservations;
import org.remaptarget.target.lun.PersistentReservations.Outcome;
import org.remaptarget.target.lun.PersistentReservations.Registration;
import org.remaptarget.target.lun.UnitAttentions.PortKey;
import org.remaptarget.target.scsi.Command;
import org.remaptarget.target.scsi.ScsiFailure;
import org.remaptarget.target.scsi.ScsiResult;
import org.remaptarget.target.scsi.ScsiTask;
import org.remaptarget.target.scsi.SenseReason;

/**
 * PERSISTENT RESERVE IN (READ KEYS, READ RESERVATION, REPORT CAPABILITIES, READ FULL STATUS) and PERSISTENT
 * RESERVE OUT (REGISTER, RESERVE, RELEASE, CLEAR, PREEMPT, PREEMPT AND ABORT, REGISTER AND IGNORE EXISTING KEY),
 * SPC-4 §6.15–6.16, over the LU's {@link PersistentReservations}. Not supported: REGISTER AND MOVE, SPEC_I_PT,
 * ALL_TG_PT and APTPL (24/00 or 26/00). Stateless.
 */
final class PersistentReserveHandler {
    private static final int PROUT_LENGTH = 24;

    private PersistentReserveHandler() {
    }

    static ScsiResult in(Command c) throws ScsiFailure {
        int sa = c.u8(1) & 0x1F;
        int alloc = c.u16(7);
        PersistentReservations pr = c.lu().persistentReservations();
        byte[] d;
        switch (sa) {
            case 0 -> {
                List<Registration> regs = pr.registrations();
                d = new byte[8 + 8 * regs.size()];
                InquiryHandler.put32(d, 0, pr.generation());
                InquiryHandler.put32(d, 4, 8L * regs.size());
                for (int i = 0; i < regs.size(); i++) {
                    put64(d, 8 + 8 * i, regs.get(i).key());
                }
            }
            case 1 -> {
                long[] res = pr.reservation();
                d = new byte[res == null ? 8 : 24];
                InquiryHandler.put32(d, 0, pr.generation());
                if (res != null) {
                    InquiryHandler.put32(d, 4, 16);
                    put64(d, 8, res[0]);
                    d[21] = (byte) res[1]; // scope 0 (LU), type
                }
            }
            case 2 -> {
                d = new byte[8];
                d[1] = 8;
                d[2] = 0x10;               // CRH: SPC-2 RESERVE/RELEASE handled as SPC-4 §5.13.3 says
                d[3] = (byte) 0x80;        // TMV: the type mask below is valid
                d[4] = (byte) 0xEA;        // WR_EX_AR, EX_AC_RO, WR_EX_RO, EX_AC, WR_EX
                d[5] = 0x01;               // EX_AC_AR
            }
            case 3 -> d = fullStatus(pr);
            default -> throw ScsiFailure.cdb(1, 4);
        }
        return Command.dataIn(d, d.length, alloc);
    }

    private static byte[] fullStatus(PersistentReservations pr) {
        long[] res = pr.reservation();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[8]);
        for (Registration r : pr.registrations()) {
            byte[] tid = transportId(r.port());
            byte[] e = new byte[24];
            put64(e, 0, r.key());
            e[12] = (byte) (r.holder() ? 0x01 : 0);
            e[13] = (byte) (r.holder() && res != null ? res[1] : 0);
            InquiryHandler.put16(e, 18, 1); // relative target port identifier
            InquiryHandler.put32(e, 20, tid.length);
            out.writeBytes(e);
            out.writeBytes(tid);
        }
        byte[] d = out.toByteArray();
        InquiryHandler.put32(d, 0, pr.generation());
        InquiryHandler.put32(d, 4, d.length - 8);
        return d;
    }

    /** iSCSI TransportID, format 00b: the initiator port name "name,i,0xISID", null terminated, padded to 4. */
    private static byte[] transportId(PortKey p) {
        String name = p.initiatorName() + ",i,0x" + String.format("%012x", p.isid());
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        int len = (n.length + 1 + 3) & ~3;
        byte[] t = new byte[4 + len];
        t[0] = 0x05;
        InquiryHandler.put16(t, 2, len);
        System.arraycopy(n, 0, t, 4, n.length);
        return t;
    }

    static ScsiResult out(Command c) throws ScsiFailure {
        LogicalUnit lu = c.lu();
        int sa = c.u8(1) & 0x1F;
        int scope = c.u8(2) >>> 4;
        int type = c.u8(2) & 0x0F;
        long length = c.u32(5);
        c.setTransferLength(length);
        if (sa > 6) {
            throw ScsiFailure.cdb(1, 4);
        }
        if (length != PROUT_LENGTH) {
            throw ScsiFailure.of(SenseReason.PARAMETER_LIST_LENGTH_ERROR);
        }
        byte[] p = c.parameterList(PROUT_LENGTH);
        long key = get64(p, 0);
        long sark = get64(p, 8);
        int flags = p[20] & 0xff;
        if ((flags & 0x08) != 0) { // SPEC_I_PT
            throw ScsiFailure.param(20, 3);
        }
        if ((flags & 0x04) != 0) { // ALL_TG_PT
            throw ScsiFailure.param(20, 2);
        }
        if ((flags & 0x01) != 0) { // APTPL: persistence through power loss is not offered
            throw ScsiFailure.param(20, 0);
        }
        boolean needsType = sa == 1 || sa == 2 || sa == 4 || sa == 5;
        if (needsType) {
            if (scope != 0) {
                throw ScsiFailure.cdb(2, 7);
            }
            if (!PersistentReservations.validType(type)) {
                throw ScsiFailure.cdb(2, 3);
            }
        }
        PersistentReservations pr = lu.persistentReservations();
        PortKey me = PortKey.of(c.nexus());
        Outcome o = switch (sa) {
            case 0 -> pr.register(me, key, sark, false);
            case 1 -> pr.reserve(me, key, type);
            case 2 -> pr.release(me, key, type);
            case 3 -> pr.clear(me, key);
            case 4 -> pr.preempt(me, key, sark, type);
            case 5 -> preemptAndAbort(c, pr, me, key, sark, type);
            default -> pr.register(me, key, sark, true);
        };
        return o == Outcome.GOOD ? ScsiResult.good() : ScsiResult.status(ScsiResult.RESERVATION_CONFLICT);
    }

    private static Outcome preemptAndAbort(Command c, PersistentReservations pr, PortKey me, long key, long sark,
                                           int type) throws ScsiFailure {
        List<PortKey> victims = pr.portsWithKey(sark);
        Outcome o = pr.preempt(me, key, sark, type);
        if (o == Outcome.GOOD && !victims.isEmpty()) {
            ScsiTask self = c.task();
            c.lu().taskSet().abortLater(t -> t != self && victims.contains(PortKey.of(t.nexus())));
        }
        return o;
    }

    private static void put64(byte[] d, int off, long v) {
        InquiryHandler.put32(d, off, v >>> 32);
        InquiryHandler.put32(d, off + 4, v);
    }

    private static long get64(byte[] d, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (d[off + i] & 0xff);
        }
        return v;
    }
}
