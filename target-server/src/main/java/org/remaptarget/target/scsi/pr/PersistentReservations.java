package org.remaptarget.target.scsi.pr;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.remaptarget.target.lun.ImageStore;
import org.remaptarget.target.scsi.Command;
import org.remaptarget.target.scsi.Nexus;
import org.remaptarget.target.scsi.ScsiFailure;
import org.remaptarget.target.scsi.ScsiResult;
import org.remaptarget.target.scsi.SenseReason;

/**
 * The persistent reservation state of one logical unit: the current {@link PrState} snapshot, its persistence
 * through a {@link ImageStore} when APTPL is active, and the reservation-conflict screening every command goes through.
 *
 * <p>Invariants: {@link #state()} is always a complete snapshot; a transition becomes visible only after its image
 * is durable (when APTPL is or was active), so a reported GOOD is never lost across a restart. A store that cannot
 * be written makes the command fail with 44/00 and leaves the state unchanged.
 *
 * <p>Locks: this object's monitor serialises transitions and saves (PERSISTENT RESERVE OUT is rare). Screening
 * ({@link #screen}) takes no lock: one volatile read, and nothing more while nobody is registered.
 */
public final class PersistentReservations {
    private static final Logger LOG = LogManager.getLogger(PersistentReservations.class);

    /** Default bound on registrations per logical unit. */
    public static final int DEFAULT_MAX_REGISTRATIONS = 1024;

    /** A service action's logic: next state from the current one. */
    @FunctionalInterface
    public interface Action {
        PrTransition apply(PrState current) throws ScsiFailure;
    }

    private final ImageStore store;
    private final int maxRegistrations;
    private volatile PrState state;
    private long sequence;

    /** Loads the state from {@code store}; fails with a clear message when the stored image is unreadable. */
    public PersistentReservations(ImageStore store) {
        this(store, DEFAULT_MAX_REGISTRATIONS);
    }

    public PersistentReservations(ImageStore store, int maxRegistrations) {
        this.store = Objects.requireNonNull(store);
        if (maxRegistrations < 1) {
            throw new IllegalArgumentException("maxRegistrations must be positive");
        }
        this.maxRegistrations = maxRegistrations;
        byte[] image;
        try {
            image = store.load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the persistent reservation state: " + e.getMessage(), e);
        }
        PrState s = PrState.EMPTY;
        if (image != null) {
            PrImage.Decoded d = PrImage.decode(image);
            if (d.error() != null) {
                throw new IllegalStateException("persistent reservation state is corrupt (" + d.error()
                        + "); refusing to serve the LUN without its persisted reservations");
            }
            sequence = d.sequence();
            if (d.state().aptpl()) {
                s = d.state();
                LOG.info("restored {} persistent registrations{}", s.registrations().size(),
                        s.reservation() == null ? "" : " and a " + s.reservation().type() + " reservation");
            }
        }
        this.state = s;
    }

    /** The current snapshot. */
    public PrState state() {
        return state;
    }

    /** The most registrations this logical unit accepts (55/04 beyond). */
    public int maxRegistrations() {
        return maxRegistrations;
    }

    /**
     * Runs {@code action} on the current state and installs its result, persisting it first when APTPL is active
     * before or after. A conflict or a failure changes nothing.
     */
    public synchronized PrTransition update(Action action) throws ScsiFailure {
        PrState cur = state;
        PrTransition t = action.apply(cur);
        if (t.conflict() || t.next() == cur) {
            return t;
        }
        PrState next = t.next();
        if (cur.aptpl() || next.aptpl()) {
            PrState image = next.aptpl() ? next : PrState.EMPTY;
            try {
                store.save(PrImage.encode(image, ++sequence));
            } catch (IOException | RuntimeException e) {
                LOG.error("cannot save the persistent reservation state; PERSISTENT RESERVE OUT refused", e);
                throw ScsiFailure.of(SenseReason.INTERNAL_TARGET_FAILURE);
            }
        }
        state = next;
        return t;
    }

    /**
     * The reservation-conflict check of SPC-4 §5.13.1 for {@code c}: null to go on, RESERVATION CONFLICT, or GOOD
     * for a RESERVE/RELEASE(6/10) that SPC-4 §5.13.3 completes without effect.
     */
    public ScsiResult screen(Command c) {
        PrState s = state;
        if (s.registrations().isEmpty()) {
            return null;
        }
        Nexus n = c.nexus();
        PrState.Reservation res = s.reservation();
        if (PrAccess.isSpc2Reservation(c.opcode())) {
            // SPC-2 §5.5.1 with the SPC-4 §5.13.3 exceptions: while anybody is registered, RESERVE and RELEASE
            // conflict, except from the holder or a registrant of a registrants-only/all-registrants reservation,
            // which get GOOD without any effect.
            boolean exempt = res != null && (s.isHolder(n)
                    || (res.type().registrantsHaveAccess() && s.registrationOf(n) != null));
            return exempt ? ScsiResult.good() : ScsiResult.status(ScsiResult.RESERVATION_CONFLICT);
        }
        if (res == null) {
            return null;
        }
        PrAccess access = PrAccess.of(c);
        if (access == PrAccess.ALLOWED || s.isHolder(n)) {
            return null;
        }
        if (res.type().registrantsHaveAccess() && s.registrationOf(n) != null) {
            return null;
        }
        if (access == PrAccess.READ && res.type().writeExclusive()) {
            return null;
        }
        return ScsiResult.status(ScsiResult.RESERVATION_CONFLICT);
    }
}
