package org.remaptarget.target.scsi.pr;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import org.remaptarget.target.scsi.Nexus;

/**
 * One immutable snapshot of a logical unit's persistent reservation state (SPC-4 §5.13): the PRgeneration
 * counter, the registrations in registration order, the persistent reservation if any, and the APTPL setting.
 *
 * <p>Invariants: at most one registration per registrant; a non-all-registrants reservation names a registered
 * holder; an all-registrants reservation has no single holder (every registrant holds it) and exists only while
 * somebody is registered. Transitions build new snapshots; nothing here mutates.
 *
 * @param generation    PRgeneration (a wrapping 32-bit counter, read as unsigned)
 * @param registrations the registrations, oldest first
 * @param reservation   the persistent reservation, or null
 * @param aptpl         activate persist through power loss, from the last REGISTER / REGISTER AND MOVE
 */
public record PrState(int generation, List<Registration> registrations, Reservation reservation, boolean aptpl) {
    /** The state after power on without a persisted image. */
    public static final PrState EMPTY = new PrState(0, List.of(), null, false);

    /**
     * A persistent reservation (scope is always LU_SCOPE).
     *
     * @param holder the holding registrant, or null for the all-registrants types
     * @param type   the type
     */
    public record Reservation(Registrant holder, PrType type) {
        public Reservation {
            Objects.requireNonNull(type);
            if ((holder == null) != type.allRegistrants()) {
                throw new IllegalArgumentException("holder must be null exactly for all-registrants types");
            }
        }

        /** The reservation of {@code type} established by {@code by}. */
        public static Reservation of(Registrant by, PrType type) {
            return new Reservation(type.allRegistrants() ? null : by, type);
        }
    }

    public PrState {
        registrations = List.copyOf(registrations);
    }

    /** The registration of the I_T nexus {@code n}, or null when it is not registered. */
    public Registration registrationOf(Nexus n) {
        for (Registration r : registrations) {
            if (r.who().matches(n)) {
                return r;
            }
        }
        return null;
    }

    /** The registration of exactly {@code who}, or null. */
    public Registration registrationOf(Registrant who) {
        for (Registration r : registrations) {
            if (r.who().equals(who)) {
                return r;
            }
        }
        return null;
    }

    /** True when {@code n} holds the persistent reservation (any registrant does, for the all-registrants types). */
    public boolean isHolder(Nexus n) {
        if (reservation == null) {
            return false;
        }
        return reservation.holder() == null ? registrationOf(n) != null : reservation.holder().matches(n);
    }

    /** True when {@code r} holds the persistent reservation. */
    public boolean isHolder(Registration r) {
        return reservation != null && (reservation.holder() == null || reservation.holder().equals(r.who()));
    }

    /** The RESERVATION KEY to report: the holder's key, or zero for the all-registrants types (SPC-4 §6.15.3). */
    public long reservationKey() {
        if (reservation == null || reservation.holder() == null) {
            return 0;
        }
        Registration h = registrationOf(reservation.holder());
        return h == null ? 0 : h.key();
    }

    /** PRgeneration plus one (wrapping). */
    public int nextGeneration() {
        return generation + 1;
    }

    /** A copy with the generation bumped and the given registrations, reservation and APTPL. */
    public PrState next(List<Registration> regs, Reservation res, boolean ptpl) {
        return new PrState(nextGeneration(), regs, res, ptpl);
    }

    /** A copy with a different reservation and the same generation (RESERVE and RELEASE do not count). */
    public PrState withReservation(Reservation res) {
        return new PrState(generation, registrations, res, aptpl);
    }

    /** The registrations matching {@code which}. */
    public List<Registration> select(Predicate<Registration> which) {
        List<Registration> out = new ArrayList<>();
        for (Registration r : registrations) {
            if (which.test(r)) {
                out.add(r);
            }
        }
        return out;
    }
}
