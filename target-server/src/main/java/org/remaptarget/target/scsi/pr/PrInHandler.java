package org.remaptarget.target.scsi.pr;

import java.io.ByteArrayOutputStream;
import org.remaptarget.target.scsi.Command;
import org.remaptarget.target.scsi.ScsiFailure;
import org.remaptarget.target.scsi.ScsiResult;

/**
 * PERSISTENT RESERVE IN (SPC-4 §6.15): READ KEYS, READ RESERVATION, REPORT CAPABILITIES and READ FULL STATUS,
 * each built from one snapshot of the logical unit's state and truncated to the allocation length (the length
 * fields always describe the full data). Stateless.
 */
final class PrInHandler {
    /** Relative target port identifier this target reports (INQUIRY VPD 83h says 1 for every port). */
    static final int RELATIVE_TARGET_PORT = 1;

    private PrInHandler() {
    }

    private static PrState state(Command c) {
        return c.lu().persistentReservations().state();
    }

    private static int allocation(Command c) {
        return c.u16(7);
    }

    static ScsiResult readKeys(Command c) throws ScsiFailure {
        PrState s = state(c);
        byte[] d = new byte[8 + 8 * s.registrations().size()];
        put32(d, 0, s.generation());
        put32(d, 4, d.length - 8);
        int p = 8;
        for (Registration r : s.registrations()) {
            put64(d, p, r.key());
            p += 8;
        }
        return Command.dataIn(d, d.length, allocation(c));
    }

    static ScsiResult readReservation(Command c) throws ScsiFailure {
        PrState s = state(c);
        PrState.Reservation res = s.reservation();
        byte[] d = new byte[res == null ? 8 : 24];
        put32(d, 0, s.generation());
        if (res != null) {
            put32(d, 4, 16);
            put64(d, 8, s.reservationKey());
            d[21] = (byte) res.type().code(); // SCOPE 0h (LU_SCOPE) in the high nibble
        }
        return Command.dataIn(d, d.length, allocation(c));
    }

    static ScsiResult reportCapabilities(Command c) throws ScsiFailure {
        PrState s = state(c);
        byte[] d = new byte[8];
        d[1] = 8;
        d[2] = 0x10 | 0x08 | 0x04 | 0x01;           // CRH, SIP_C, ATP_C, PTPL_C
        d[3] = (byte) (0x80 | (0x3 << 4) | (s.aptpl() ? 0x01 : 0)); // TMV, ALLOW COMMANDS 011b, PTPL_A
        d[4] = (byte) (0x80 | 0x40 | 0x20 | 0x08 | 0x02); // WR_EX_AR, EX_AC_RO, WR_EX_RO, EX_AC, WR_EX
        d[5] = 0x01;                                  // EX_AC_AR
        return Command.dataIn(d, d.length, allocation(c));
    }

    static ScsiResult readFullStatus(Command c) throws ScsiFailure {
        PrState s = state(c);
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + 64 * s.registrations().size());
        out.writeBytes(new byte[8]);
        for (Registration r : s.registrations()) {
            byte[] tid = TransportIds.encode(r.who());
            byte[] e = new byte[24];
            put64(e, 0, r.key());
            boolean holder = s.isHolder(r);
            e[12] = (byte) ((r.who().allTargetPorts() ? 0x02 : 0) | (holder ? 0x01 : 0));
            if (holder) {
                e[13] = (byte) s.reservation().type().code();
            }
            if (!r.who().allTargetPorts()) {
                e[18] = (byte) (RELATIVE_TARGET_PORT >>> 8);
                e[19] = (byte) RELATIVE_TARGET_PORT;
            }
            put32(e, 20, tid.length);
            out.writeBytes(e);
            out.writeBytes(tid);
        }
        byte[] d = out.toByteArray();
        put32(d, 0, s.generation());
        put32(d, 4, d.length - 8);
        return Command.dataIn(d, d.length, allocation(c));
    }

    static void put32(byte[] b, int off, long v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    static void put64(byte[] b, int off, long v) {
        put32(b, off, v >>> 32);
        put32(b, off + 4, v);
    }
}
