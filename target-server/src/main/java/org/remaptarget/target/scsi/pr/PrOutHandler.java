package org.remaptarget.target.scsi.pr;

import java.util.ArrayList;
import java.util.List;
import org.remaptarget.target.lun.LogicalUnit;
import org.remaptarget.target.lun.UnitAttentions;
import org.remaptarget.target.scsi.Command;
import org.remaptarget.target.scsi.ScsiFailure;
import org.remaptarget.target.scsi.ScsiResult;
import org.remaptarget.target.scsi.ScsiTask;
import org.remaptarget.target.scsi.SenseReason;

/**
 * PERSISTENT RESERVE OUT (SPC-4 §6.16): checks the CDB (SCOPE, TYPE, PARAMETER LIST LENGTH) and the parameter
 * list, runs the service action through {@link PersistentReservations#update}, then applies its effects: unit
 * attentions to the registrants it names and, for PREEMPT AND ABORT, aborting the preempted nexuses' tasks.
 * SPEC_I_PT (REGISTER only) registers the listed initiator ports too. Stateless.
 */
final class PrOutHandler {
    static final int REGISTER = 0x00;
    static final int RESERVE = 0x01;
    static final int RELEASE = 0x02;
    static final int CLEAR = 0x03;
    static final int PREEMPT = 0x04;
    static final int PREEMPT_AND_ABORT = 0x05;
    static final int REGISTER_AND_IGNORE_EXISTING_KEY = 0x06;
    static final int REGISTER_AND_MOVE = 0x07;

    /** Basic parameter list length (§6.16.3). */
    static final int BASIC_LENGTH = 24;
    /** Longest parameter list accepted (a SPEC_I_PT list of a few hundred TransportIDs). */
    static final int MAX_LIST_LENGTH = 64 * 1024;

    private final int serviceAction;

    PrOutHandler(int serviceAction) {
        this.serviceAction = serviceAction;
    }

    ScsiResult execute(Command c) throws ScsiFailure {
        long length = c.u32(5);
        c.setTransferLength(length);
        PrType type = null;
        if (serviceAction == RESERVE || serviceAction == RELEASE || serviceAction == PREEMPT
                || serviceAction == PREEMPT_AND_ABORT) {
            if ((c.u8(2) >>> 4) != 0) {
                throw ScsiFailure.cdb(2, 7); // only LU_SCOPE
            }
            type = PrType.fromCode(c.u8(2) & 0x0f);
            if (type == null) {
                throw ScsiFailure.cdb(2, 3);
            }
        }
        boolean move = serviceAction == REGISTER_AND_MOVE;
        if (length < BASIC_LENGTH || length > MAX_LIST_LENGTH) {
            throw ScsiFailure.of(SenseReason.PARAMETER_LIST_LENGTH_ERROR);
        }
        byte[] p = c.parameterList((int) length);
        long key = u64(p, 0);
        long saKey = u64(p, 8);
        LogicalUnit lu = c.lu();
        PersistentReservations pr = lu.persistentReservations();
        int max = pr.maxRegistrations();
        PrTransition t;
        if (move) {
            boolean unreg = (p[17] & 0x02) != 0;
            boolean aptpl = (p[17] & 0x01) != 0;
            int relativePort = ((p[18] & 0xff) << 8) | (p[19] & 0xff);
            if (relativePort != PrInHandler.RELATIVE_TARGET_PORT) {
                throw ScsiFailure.param(18);
            }
            long tidLength = ((p[20] & 0xffL) << 24) | ((p[21] & 0xff) << 16) | ((p[22] & 0xff) << 8)
                    | (p[23] & 0xff);
            if (tidLength < 8 || BASIC_LENGTH + tidLength != length) {
                throw ScsiFailure.param(20); // TRANSPORTID PARAMETER DATA LENGTH disagrees with the list
            }
            TransportIds.Parsed tid = TransportIds.decode(p, BASIC_LENGTH, (int) tidLength);
            if (tid.errorOffset() >= 0) {
                throw ScsiFailure.param(tid.errorOffset());
            }
            Registrant dest = new Registrant(tid.name(), tid.isid(), c.nexus().targetName(), c.nexus().tpgt(),
                    false);
            PrOutActions.Request q = new PrOutActions.Request(c.nexus(), null, key, saKey, aptpl, false);
            t = pr.update(s -> PrOutActions.registerAndMove(s, q, dest, unreg, max));
        } else {
            int flags = p[20] & 0xff;
            boolean specIpt = (flags & 0x08) != 0;
            if (specIpt && serviceAction != REGISTER) {
                throw ScsiFailure.param(20, 3); // SPEC_I_PT is for REGISTER only
            }
            if (!specIpt && length != BASIC_LENGTH) {
                throw ScsiFailure.of(SenseReason.PARAMETER_LIST_LENGTH_ERROR);
            }
            if (specIpt) {
                List<PrOutActions.Specified> ports = specifiedPorts(c, p, (int) length, (flags & 0x04) != 0);
                PrOutActions.Request q = new PrOutActions.Request(c.nexus(), null, key, saKey, (flags & 0x01) != 0,
                        (flags & 0x04) != 0);
                t = pr.update(s -> PrOutActions.registerSpecified(s, q, ports, max));
                return finish(lu, t, c.task());
            }
            boolean registers = serviceAction == REGISTER || serviceAction == REGISTER_AND_IGNORE_EXISTING_KEY;
            PrOutActions.Request q = new PrOutActions.Request(c.nexus(), type, key, saKey,
                    registers && (flags & 0x01) != 0, registers && (flags & 0x04) != 0);
            t = pr.update(s -> switch (serviceAction) {
                case REGISTER -> PrOutActions.register(s, q, false, max);
                case REGISTER_AND_IGNORE_EXISTING_KEY -> PrOutActions.register(s, q, true, max);
                case RESERVE -> PrOutActions.reserve(s, q);
                case RELEASE -> PrOutActions.release(s, q);
                case CLEAR -> PrOutActions.clear(s, q);
                default -> PrOutActions.preempt(s, q);
            });
        }
        return finish(lu, t, c.task());
    }

    /** The TransportIDs of a SPEC_I_PT parameter list (§6.16.3), each with its offset for field pointers. */
    private static List<PrOutActions.Specified> specifiedPorts(Command c, byte[] p, int length, boolean allTgPt)
            throws ScsiFailure {
        if (length < BASIC_LENGTH + 4) {
            throw ScsiFailure.of(SenseReason.PARAMETER_LIST_LENGTH_ERROR);
        }
        long dataLength = ((p[24] & 0xffL) << 24) | ((p[25] & 0xff) << 16) | ((p[26] & 0xff) << 8) | (p[27] & 0xff);
        if (BASIC_LENGTH + 4 + dataLength != length) {
            throw ScsiFailure.of(SenseReason.PARAMETER_LIST_LENGTH_ERROR);
        }
        List<PrOutActions.Specified> out = new ArrayList<>();
        int off = BASIC_LENGTH + 4;
        while (off < length) {
            TransportIds.Parsed tid = TransportIds.decode(p, off, length - off);
            if (tid.errorOffset() >= 0) {
                throw ScsiFailure.param(tid.errorOffset());
            }
            out.add(new PrOutActions.Specified(new Registrant(tid.name(), tid.isid(), c.nexus().targetName(),
                    c.nexus().tpgt(), allTgPt), off));
            off += tid.length();
        }
        return out;
    }

    private ScsiResult finish(LogicalUnit lu, PrTransition t, ScsiTask self) {
        if (t.conflict()) {
            return ScsiResult.status(ScsiResult.RESERVATION_CONFLICT);
        }
        apply(lu, t, self);
        return ScsiResult.good();
    }

    private void apply(LogicalUnit lu, PrTransition t, ScsiTask self) {
        UnitAttentions ua = lu.unitAttentions();
        for (PrTransition.Notice n : t.notices()) {
            Registrant w = n.to();
            if (w.isid() != Registrant.ANY_ISID && !w.allTargetPorts()) {
                ua.establish(w.nexus(), n.reason());
            } else {
                ua.establishWhere(k -> w.matches(k.initiatorName(), k.isid(), k.targetName(), k.tpgt()), n.reason());
            }
        }
        if (serviceAction == PREEMPT_AND_ABORT && !t.preempted().isEmpty()) {
            lu.taskSet().abort(task -> task != self && t.preempted().stream().anyMatch(w -> w.matches(task.nexus())));
        }
    }

    private static long u64(byte[] p, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (p[off + i] & 0xff);
        }
        return v;
    }
}
