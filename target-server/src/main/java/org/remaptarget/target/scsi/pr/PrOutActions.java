package org.remaptarget.target.scsi.pr;

import java.util.ArrayList;
import java.util.List;
import org.remaptarget.target.scsi.Nexus;
import org.remaptarget.target.scsi.ScsiFailure;
import org.remaptarget.target.scsi.SenseReason;
import org.remaptarget.target.scsi.pr.PrTransition.Notice;

/**
 * The PERSISTENT RESERVE OUT service actions as pure functions of the current {@link PrState} (SPC-4 §5.13.7 to
 * §5.13.11): each returns the next state with the unit attentions it causes, or a conflict, or throws the CHECK
 * CONDITION it ends in. No I/O, no locks; {@link PersistentReservations#update} runs them under its monitor.
 * PRgeneration grows for every successful REGISTER, REGISTER AND IGNORE EXISTING KEY, CLEAR, PREEMPT, PREEMPT AND
 * ABORT and REGISTER AND MOVE, never for RESERVE or RELEASE.
 */
final class PrOutActions {
    /** Byte offset of SERVICE ACTION RESERVATION KEY in the parameter list (for field pointers). */
    static final int SA_KEY_OFFSET = 8;

    /**
     * One decoded PERSISTENT RESERVE OUT.
     *
     * @param nexus   the I_T nexus it arrived on
     * @param type    the TYPE field (null for service actions that ignore it)
     * @param key     RESERVATION KEY
     * @param saKey   SERVICE ACTION RESERVATION KEY
     * @param aptpl   APTPL bit
     * @param allTgPt ALL_TG_PT bit
     */
    record Request(Nexus nexus, PrType type, long key, long saKey, boolean aptpl, boolean allTgPt) {
    }

    /**
     * An initiator port named by a SPEC_I_PT TransportID.
     *
     * @param who    the registrant to create (on the receiving target port, or all ports with ALL_TG_PT)
     * @param offset where its TransportID starts in the parameter list (for the field pointer)
     */
    record Specified(Registrant who, int offset) {
    }

    private PrOutActions() {
    }

    /**
     * REGISTER with SPEC_I_PT (§5.13.7, §6.16.3): registers the receiving I_T nexus and every specified initiator
     * port with SA key, all or nothing. Refused from an already registered I_T nexus (24/00); a specified port
     * that is already registered, or listed twice, is INVALID FIELD IN PARAMETER LIST at its TransportID.
     */
    static PrTransition registerSpecified(PrState s, Request q, List<Specified> ports, int maxRegistrations)
            throws ScsiFailure {
        if (s.registrationOf(q.nexus()) != null) {
            throw ScsiFailure.of(SenseReason.INVALID_FIELD_IN_CDB);
        }
        if (q.key() != 0) {
            return PrTransition.conflict(s);
        }
        if (q.saKey() == 0) {
            throw ScsiFailure.param(SA_KEY_OFFSET);
        }
        List<Registration> regs = new ArrayList<>(s.registrations());
        Registrant self = Registrant.of(q.nexus(), q.allTgPt());
        regs.add(new Registration(self, q.saKey()));
        for (Specified p : ports) {
            if (p.who().matches(q.nexus()) && p.who().isid() != Registrant.ANY_ISID) {
                continue; // the receiving I_T nexus itself, registered above
            }
            for (Registration r : regs) {
                if (r.who().overlaps(p.who())) {
                    throw ScsiFailure.param(p.offset());
                }
            }
            regs.add(new Registration(p.who(), q.saKey()));
        }
        if (regs.size() > maxRegistrations) {
            throw ScsiFailure.of(SenseReason.INSUFFICIENT_REGISTRATION_RESOURCES);
        }
        return PrTransition.to(s.next(regs, s.reservation(), q.aptpl()));
    }

    /** REGISTER ({@code ignoreExisting} false) and REGISTER AND IGNORE EXISTING KEY (true), §5.13.7. */
    static PrTransition register(PrState s, Request q, boolean ignoreExisting, int maxRegistrations)
            throws ScsiFailure {
        Registration mine = s.registrationOf(q.nexus());
        if (mine == null) {
            if (!ignoreExisting && q.key() != 0) {
                return PrTransition.conflict(s);
            }
            if (q.saKey() == 0) {
                return PrTransition.unchanged(s);
            }
            if (s.registrations().size() >= maxRegistrations) {
                throw ScsiFailure.of(SenseReason.INSUFFICIENT_REGISTRATION_RESOURCES);
            }
            List<Registration> regs = new ArrayList<>(s.registrations());
            regs.add(new Registration(Registrant.of(q.nexus(), q.allTgPt()), q.saKey()));
            return PrTransition.to(s.next(regs, s.reservation(), q.aptpl()));
        }
        if (!ignoreExisting && q.key() != mine.key()) {
            return PrTransition.conflict(s);
        }
        if (q.saKey() != 0) {
            List<Registration> regs = replace(s.registrations(), mine, mine.withKey(q.saKey()));
            return PrTransition.to(s.next(regs, s.reservation(), q.aptpl()));
        }
        return unregister(s, mine);
    }

    /** Removes {@code mine}; releases the reservation it held (§5.13.11.2.3) and tells registrants if RO. */
    private static PrTransition unregister(PrState s, Registration mine) {
        List<Registration> regs = new ArrayList<>(s.registrations());
        regs.remove(mine);
        PrState.Reservation res = s.reservation();
        List<Notice> notices = new ArrayList<>();
        if (res != null) {
            if (res.holder() == null) {
                if (regs.isEmpty()) {
                    res = null; // the last all-registrants holder is gone
                }
            } else if (res.holder().equals(mine.who())) {
                if (res.type().registrantsHaveAccess()) {
                    for (Registration r : regs) {
                        notices.add(new Notice(r.who(), SenseReason.RESERVATIONS_RELEASED));
                    }
                }
                res = null;
            }
        }
        boolean aptpl = !regs.isEmpty() && s.aptpl();
        return new PrTransition(s.next(regs, res, aptpl), false, notices, List.of());
    }

    /** RESERVE, §5.13.9. */
    static PrTransition reserve(PrState s, Request q) {
        Registration mine = s.registrationOf(q.nexus());
        if (mine == null || mine.key() != q.key()) {
            return PrTransition.conflict(s);
        }
        PrState.Reservation res = s.reservation();
        if (res != null) {
            return s.isHolder(mine) && res.type() == q.type() ? PrTransition.unchanged(s) : PrTransition.conflict(s);
        }
        return PrTransition.to(s.withReservation(PrState.Reservation.of(mine.who(), q.type())));
    }

    /** RELEASE, §5.13.11.2.2. */
    static PrTransition release(PrState s, Request q) throws ScsiFailure {
        Registration mine = s.registrationOf(q.nexus());
        if (mine == null || mine.key() != q.key()) {
            return PrTransition.conflict(s);
        }
        PrState.Reservation res = s.reservation();
        if (res == null || !s.isHolder(mine)) {
            return PrTransition.unchanged(s);
        }
        if (res.type() != q.type()) {
            throw ScsiFailure.of(SenseReason.INVALID_RELEASE_OF_PERSISTENT_RESERVATION);
        }
        List<Notice> notices = new ArrayList<>();
        if (res.type().registrantsHaveAccess()) {
            for (Registration r : s.registrations()) {
                if (r != mine) {
                    notices.add(new Notice(r.who(), SenseReason.RESERVATIONS_RELEASED));
                }
            }
        }
        return new PrTransition(s.withReservation(null), false, notices, List.of());
    }

    /** CLEAR, §5.13.11.2.6. */
    static PrTransition clear(PrState s, Request q) {
        Registration mine = s.registrationOf(q.nexus());
        if (mine == null || mine.key() != q.key()) {
            return PrTransition.conflict(s);
        }
        List<Notice> notices = new ArrayList<>();
        for (Registration r : s.registrations()) {
            if (r != mine) {
                notices.add(new Notice(r.who(), SenseReason.RESERVATIONS_PREEMPTED));
            }
        }
        return new PrTransition(s.next(List.of(), null, s.aptpl()), false, notices, List.of());
    }

    /** PREEMPT and PREEMPT AND ABORT (the caller aborts tasks of the returned preempted registrants), §5.13.11.4. */
    static PrTransition preempt(PrState s, Request q) throws ScsiFailure {
        Registration mine = s.registrationOf(q.nexus());
        if (mine == null || mine.key() != q.key()) {
            return PrTransition.conflict(s);
        }
        PrState.Reservation res = s.reservation();
        long sa = q.saKey();
        boolean takeOver;
        if (res == null) {
            takeOver = false;
        } else if (res.holder() == null) {
            takeOver = sa == 0;
        } else {
            takeOver = sa == s.reservationKey();
        }
        if (!takeOver && sa == 0) {
            throw ScsiFailure.param(SA_KEY_OFFSET);
        }
        List<Registration> removed = s.select(r -> r != mine && (takeOver && res.holder() == null || r.key() == sa));
        if (!takeOver && removed.isEmpty()) {
            return PrTransition.conflict(s);
        }
        List<Registration> regs = new ArrayList<>(s.registrations());
        regs.removeAll(removed);
        List<Notice> notices = new ArrayList<>();
        List<Registrant> preempted = new ArrayList<>();
        for (Registration r : removed) {
            notices.add(new Notice(r.who(), SenseReason.REGISTRATIONS_PREEMPTED));
            preempted.add(r.who());
        }
        PrState.Reservation next = res;
        if (takeOver) {
            next = PrState.Reservation.of(mine.who(), q.type());
            if (res.type() != q.type()) {
                for (Registration r : regs) {
                    if (r != mine) {
                        notices.add(new Notice(r.who(), SenseReason.RESERVATIONS_RELEASED));
                    }
                }
            }
        }
        return new PrTransition(s.next(regs, next, s.aptpl()), false, notices, preempted);
    }

    /** REGISTER AND MOVE, §5.13.8: registers {@code dest} with SA key and moves the reservation to it. */
    static PrTransition registerAndMove(PrState s, Request q, Registrant dest, boolean unreg, int maxRegistrations)
            throws ScsiFailure {
        Registration mine = s.registrationOf(q.nexus());
        if (mine == null || mine.key() != q.key()) {
            return PrTransition.conflict(s);
        }
        if (q.saKey() == 0) {
            throw ScsiFailure.param(SA_KEY_OFFSET);
        }
        PrState.Reservation res = s.reservation();
        if (res == null) {
            throw ScsiFailure.of(SenseReason.INVALID_FIELD_IN_CDB); // nothing to move
        }
        if (!s.isHolder(mine) || res.holder() == null) {
            return PrTransition.conflict(s); // all-registrants reservations cannot be moved either
        }
        if (dest.matches(q.nexus())) {
            throw ScsiFailure.param(24); // the TransportID names the issuing I_T nexus
        }
        List<Registration> regs = new ArrayList<>(s.registrations());
        Registration existing = s.registrationOf(dest);
        Registration moved;
        if (existing != null) {
            moved = existing.withKey(q.saKey());
            regs.set(regs.indexOf(existing), moved);
        } else {
            if (regs.size() >= maxRegistrations) {
                throw ScsiFailure.of(SenseReason.INSUFFICIENT_REGISTRATION_RESOURCES);
            }
            moved = new Registration(dest, q.saKey());
            regs.add(moved);
        }
        if (unreg) {
            regs.remove(mine);
        }
        return PrTransition.to(s.next(regs, new PrState.Reservation(moved.who(), res.type()), q.aptpl()));
    }

    private static List<Registration> replace(List<Registration> regs, Registration old, Registration now) {
        List<Registration> out = new ArrayList<>(regs);
        out.set(out.indexOf(old), now);
        return out;
    }
}
