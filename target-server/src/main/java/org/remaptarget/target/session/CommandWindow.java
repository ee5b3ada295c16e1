package org.remaptarget.target.session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The session's CmdSN window (RFC 7143 §4.2.2.1): delivers non-immediate commands in CmdSN order, holds commands
 * that arrive ahead of a gap, and refuses commands outside [ExpCmdSN, MaxCmdSN] (the caller drops them silently).
 * MaxCmdSN follows ExpCmdSN + depth - 1 - (commands still in progress), which bounds the session's queue depth, but
 * never decreases (§4.2.2.1).
 *
 * <p>Thread-safety: offers come from the reader thread; {@link #expCmdSN()} and {@link #maxCmdSN()} are read by
 * any sending thread. All state is guarded by {@code this}.
 *
 * @param <T> what is queued (a PDU to process in order)
 */
public final class CommandWindow<T> {
    private final int depth;
    private volatile int expCmdSN;
    private volatile int maxCmdSN;
    private final Map<Integer, T> held = new HashMap<>();
    private final Set<Integer> consumed = new HashSet<>();

    public CommandWindow(int initialCmdSN, int depth) {
        if (depth < 1) {
            throw new IllegalArgumentException("depth " + depth);
        }
        this.expCmdSN = initialCmdSN;
        this.maxCmdSN = initialCmdSN + depth - 1;
        this.depth = depth;
    }

    public int expCmdSN() {
        return expCmdSN;
    }

    public int maxCmdSN() {
        return maxCmdSN;
    }

    /**
     * Opens the window as far as {@code outstanding} commands in progress allow: MaxCmdSN becomes
     * ExpCmdSN + depth - 1 - outstanding unless that would move it backwards.
     */
    public synchronized void refresh(int outstanding) {
        int candidate = expCmdSN + Math.max(0, depth - outstanding) - 1;
        if (SerialNumber.lessThan(maxCmdSN, candidate)) {
            maxCmdSN = candidate;
        }
    }

    /** True when {@code cmdSN} lies in [ExpCmdSN, MaxCmdSN]. */
    public synchronized boolean inWindow(int cmdSN) {
        return SerialNumber.atMost(expCmdSN, cmdSN) && SerialNumber.atMost(cmdSN, maxCmdSN);
    }

    /**
     * Offers a command. Returns null when it is outside the window or a duplicate (drop it), otherwise the list of
     * commands now deliverable in order (empty while a gap precedes it).
     */
    public synchronized List<T> offer(int cmdSN, T item) {
        if (!inWindow(cmdSN) || held.containsKey(cmdSN)) {
            return null;
        }
        if (consumed.remove(cmdSN)) {
            return drain(); // its slot was consumed by an ABORT TASK that overtook it
        }
        held.put(cmdSN, item);
        return drain();
    }

    /**
     * Marks a CmdSN as received without a command (RFC 7143 §11.5.1: ABORT TASK for a command not yet seen).
     * Returns the commands that became deliverable.
     */
    public synchronized List<T> consume(int cmdSN) {
        if (!inWindow(cmdSN) || held.containsKey(cmdSN)) {
            return List.of();
        }
        consumed.add(cmdSN);
        return drain();
    }

    /** Number of commands held behind a gap. */
    public synchronized int heldCount() {
        return held.size();
    }

    private List<T> drain() {
        List<T> out = new ArrayList<>();
        int exp = expCmdSN;
        while (true) {
            T t = held.remove(exp);
            if (t != null) {
                out.add(t);
            } else if (!consumed.remove(exp)) {
                break;
            }
            exp++;
        }
        expCmdSN = exp;
        return out;
    }
}
