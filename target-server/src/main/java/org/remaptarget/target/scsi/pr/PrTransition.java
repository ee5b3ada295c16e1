package org.remaptarget.target.scsi.pr;

import java.util.List;
import org.remaptarget.target.scsi.SenseReason;

/**
 * What a PERSISTENT RESERVE OUT service action does: the next state (the same object when nothing changes), or a
 * reservation conflict; the unit attentions to establish; the registrants whose tasks PREEMPT AND ABORT aborts.
 *
 * @param next      the state after the command (ignored on conflict)
 * @param conflict  the command ends in RESERVATION CONFLICT and changes nothing
 * @param notices   unit attentions to establish, in order
 * @param preempted registrants whose registrations were removed by PREEMPT (their tasks are aborted for PREEMPT
 *                  AND ABORT)
 */
public record PrTransition(PrState next, boolean conflict, List<Notice> notices, List<Registrant> preempted) {
    /**
     * A unit attention for the initiator ports of one registrant.
     *
     * @param to     the registrant
     * @param reason 2A/03, 2A/04 or 2A/05
     */
    public record Notice(Registrant to, SenseReason reason) {
    }

    public PrTransition {
        notices = List.copyOf(notices);
        preempted = List.copyOf(preempted);
    }

    /** RESERVATION CONFLICT, no change. */
    public static PrTransition conflict(PrState s) {
        return new PrTransition(s, true, List.of(), List.of());
    }

    /** GOOD without any change. */
    public static PrTransition unchanged(PrState s) {
        return new PrTransition(s, false, List.of(), List.of());
    }

    /** GOOD with a new state and no side effects. */
    public static PrTransition to(PrState next) {
        return new PrTransition(next, false, List.of(), List.of());
    }
}
