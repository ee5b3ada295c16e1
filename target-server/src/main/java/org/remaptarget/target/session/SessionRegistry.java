package org.remaptarget.target.session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.remaptarget.target.login.LoginIdentity;
import org.remaptarget.target.login.LoginStatus;
import org.remaptarget.target.login.NegotiatedParameters;

/**
 * Every live session of one server, by TSIH: assigns TSIHs, enforces the session limit and performs session
 * reinstatement (RFC 7143 §6.3.5: a leading login with TSIH 0 and the ISID + InitiatorName + TargetName of a live
 * session closes that session first). All methods are thread-safe (monitor on {@code this}); a reinstated session
 * is closed outside the monitor.
 */
public final class SessionRegistry {
    private final int maxSessions;
    private final int maxSessionsPerTarget;
    private final WriteBudget writeBudget;
    private final Map<Integer, Session> byTsih = new HashMap<>();
    private int nextTsih = 1;
    private long nextId = 1;

    /** The outcome of {@link #open}: a session, or the login status refusing it. */
    public record Opened(Session session, LoginStatus status) {
    }

    public SessionRegistry(int maxSessions, WriteBudget writeBudget) {
        this(maxSessions, maxSessions, writeBudget);
    }

    /** With a limit on the normal sessions of any one target, besides the total. */
    public SessionRegistry(int maxSessions, int maxSessionsPerTarget, WriteBudget writeBudget) {
        this.maxSessions = maxSessions;
        this.maxSessionsPerTarget = maxSessionsPerTarget;
        this.writeBudget = writeBudget;
    }

    /**
     * Opens a session for a login about to enter full feature phase.
     *
     * @param target the target entry (null for discovery)
     */
    public Opened open(LoginIdentity who, NegotiatedParameters params, TargetEntry target, int tpgt,
                       int initialCmdSN, int windowDepth) {
        if (who.tsih() != 0) {
            synchronized (this) {
                Session s = byTsih.get(who.tsih());
                if (s == null || s.isid() != who.isid() || !s.initiatorName().equals(who.initiatorName())) {
                    return new Opened(null, LoginStatus.SESSION_DOES_NOT_EXIST);
                }
                return new Opened(null, LoginStatus.TOO_MANY_CONNECTIONS); // one connection per session
            }
        }
        List<Session> reinstated = new ArrayList<>();
        synchronized (this) {
            for (Session s : byTsih.values()) {
                if (s.isid() == who.isid() && s.initiatorName().equals(who.initiatorName())
                        && (s.target() == null ? target == null
                        : target != null && s.target().iqn().equals(target.iqn()))) {
                    reinstated.add(s);
                }
            }
        }
        for (Session old : reinstated) {
            old.close("reinstated by a new login of the same initiator port");
        }
        synchronized (this) {
            if (target != null && normalCount() >= maxSessions) {
                return new Opened(null, LoginStatus.OUT_OF_RESOURCES);
            }
            if (target != null && countFor(target.iqn()) >= maxSessionsPerTarget) {
                return new Opened(null, LoginStatus.OUT_OF_RESOURCES);
            }
            if (byTsih.size() >= 65535) {
                return new Opened(null, LoginStatus.OUT_OF_RESOURCES);
            }
            int tsih = nextTsih;
            while (byTsih.containsKey(tsih)) {
                tsih = tsih == 0xffff ? 1 : tsih + 1;
            }
            nextTsih = tsih == 0xffff ? 1 : tsih + 1;
            Session s = new Session(nextId++, tsih, who.isid(), who.initiatorName(), target, tpgt, params,
                    initialCmdSN, windowDepth, this, writeBudget);
            byTsih.put(tsih, s);
            return new Opened(s, LoginStatus.SUCCESS);
        }
    }

    synchronized void remove(Session s) {
        byTsih.remove(s.tsih(), s);
    }

    private int countFor(String iqn) {
        int n = 0;
        for (Session s : byTsih.values()) {
            if (s.target() != null && s.target().iqn().equals(iqn)) {
                n++;
            }
        }
        return n;
    }

    /** Live normal (non-discovery) sessions. */
    public synchronized int normalCount() {
        int n = 0;
        for (Session s : byTsih.values()) {
            if (!s.discovery()) {
                n++;
            }
        }
        return n;
    }

    /** A snapshot of every live session. */
    public synchronized List<Session> sessions() {
        return List.copyOf(byTsih.values());
    }
}
