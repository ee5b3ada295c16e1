package org.remaptarget.target.session;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.remaptarget.target.login.NegotiatedParameters;
import org.remaptarget.target.pdu.InitiatorPdu;
import org.remaptarget.target.scsi.Nexus;

/**
 * One iSCSI session (ERL 0, one connection): its identity (ISID, TSIH, nexus), negotiated parameters, CmdSN window
 * and table of commands in progress keyed by Initiator Task Tag.
 *
 * <p>Invariants: once {@link #close} ran, the session is out of the registry, every task it still owned was
 * aborted and the SCSI core was told the nexus is lost. The task table is concurrent (reader thread adds and
 * aborts, completion threads remove); {@link #close} is idempotent and callable from any thread.
 */
public final class Session {
    private static final Logger LOG = LogManager.getLogger(Session.class);

    private final long id;
    private final int tsih;
    private final long isid;
    private final String initiatorName;
    private final TargetEntry target;
    private final Nexus nexus;
    private final NegotiatedParameters parameters;
    private final CommandWindow<InitiatorPdu> window;
    private final ConcurrentMap<Integer, CommandTask> tasks = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final SessionRegistry registry;
    private final WriteBudget writeBudget;
    private volatile PduSink connection;

    Session(long id, int tsih, long isid, String initiatorName, TargetEntry target, int tpgt,
            NegotiatedParameters parameters, int initialCmdSN, int windowDepth, SessionRegistry registry,
            WriteBudget writeBudget) {
        this.writeBudget = writeBudget;
        this.id = id;
        this.tsih = tsih;
        this.isid = isid;
        this.initiatorName = initiatorName;
        this.target = target;
        this.nexus = target == null ? null : new Nexus(initiatorName, isid, target.iqn(), tpgt, id);
        this.parameters = parameters;
        this.window = new CommandWindow<>(initialCmdSN, windowDepth);
        this.registry = registry;
    }

    public long id() {
        return id;
    }

    public int tsih() {
        return tsih;
    }

    public long isid() {
        return isid;
    }

    public String initiatorName() {
        return initiatorName;
    }

    /** The target (null for a discovery session). */
    public TargetEntry target() {
        return target;
    }

    public boolean discovery() {
        return target == null;
    }

    /** The I_T nexus (null for a discovery session). */
    public Nexus nexus() {
        return nexus;
    }

    public NegotiatedParameters parameters() {
        return parameters;
    }

    public CommandWindow<InitiatorPdu> window() {
        return window;
    }

    /** The server-wide budget for gathered write data. */
    public WriteBudget writeBudget() {
        return writeBudget;
    }

    ConcurrentMap<Integer, CommandTask> tasks() {
        return tasks;
    }

    /** Re-opens the CmdSN window after commands arrived or completed (before the next response is stamped). */
    void refreshWindow() {
        window.refresh(tasks.size());
    }

    /** Number of commands received and not yet answered. */
    public int tasksInProgress() {
        return tasks.size();
    }

    public boolean isClosed() {
        return closed.get();
    }

    /** Binds the session's (single) connection. */
    public void attach(PduSink sink) {
        this.connection = sink;
        if (closed.get()) {
            sink.close("session closed");
        }
    }

    /**
     * Ends the session: aborts every task it owns, tells the SCSI core the nexus is lost (which returns once the
     * core's tasks for it are aborted), leaves the registry and closes the connection.
     */
    public void close(String reason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        LOG.debug("closing session tsih={} {}: {}", tsih, initiatorName, reason);
        for (CommandTask t : tasks.values()) {
            ScsiCommandHandler.abortLocally(this, t);
        }
        registry.remove(this);
        PduSink c = connection;
        if (c != null) {
            c.close(reason);
        }
        if (nexus != null) {
            try {
                target.core().nexusLost(nexus);
            } catch (RuntimeException e) {
                LOG.warn("SCSI core failed on nexus loss of {}", nexus.initiatorPort(), e);
            }
        }
        tasks.clear();
    }

    @Override
    public String toString() {
        return "Session[tsih=" + tsih + " " + initiatorName + " isid=" + Long.toHexString(isid)
                + (target == null ? " discovery" : " " + target.iqn()) + "]";
    }
}
