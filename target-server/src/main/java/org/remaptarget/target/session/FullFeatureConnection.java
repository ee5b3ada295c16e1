package org.remaptarget.target.session;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.remaptarget.target.login.NegotiatedParameters;
import org.remaptarget.target.pdu.Bhs;
import org.remaptarget.target.pdu.DataOutPdu;
import org.remaptarget.target.pdu.InitiatorPdu;
import org.remaptarget.target.pdu.Opcode;
import org.remaptarget.target.pdu.Pdu;
import org.remaptarget.target.pdu.RejectPdu;
import org.remaptarget.target.pdu.RejectReason;
import org.remaptarget.target.pdu.ScsiCommandPdu;

/**
 * Full feature phase of one connection: routes each incoming PDU through the session's CmdSN window to the handler
 * of its family (a table indexed by opcode, built once), and owns the per-connection counters (Target Transfer
 * Tags) and keep-alive state.
 *
 * <p>Threading: {@link #handle} runs on the connection's reader thread only; {@link #keepAliveTick} on the server's
 * timer thread; sends go through the thread-safe {@link PduSink}.
 */
public final class FullFeatureConnection {
    private static final Logger LOG = LogManager.getLogger(FullFeatureConnection.class);

    private final Session session;
    private final PduSink sink;
    private final NegotiatedParameters params;
    private final int cid;
    private final PduHandler[] ordered = new PduHandler[64];
    private final ScsiCommandHandler scsi;
    private final NopHandler nop;
    private final AtomicInteger nextTtt = new AtomicInteger(1);
    /** Headers of non-SCSI commands held in the CmdSN window (for a later Reject); reader thread only. */
    private final Map<InitiatorPdu, byte[]> headers = new IdentityHashMap<>();

    /**
     * @param session         the session this connection carries
     * @param sink            the connection's writer
     * @param directory       the targets (for SendTargets)
     * @param targetAddresses this connection's portal addresses for SendTargets ("ip:port,tpgt")
     * @param cid             this connection's CID
     */
    public FullFeatureConnection(Session session, PduSink sink, TargetDirectory directory,
                                 List<String> targetAddresses, int cid) {
        this.session = session;
        this.cid = cid;
        this.sink = sink;
        this.params = session.parameters();
        this.scsi = new ScsiCommandHandler(this, session.writeBudget());
        this.nop = new NopHandler(this);
        TextHandler text = new TextHandler(this, directory, targetAddresses);
        TaskManagementHandler tmf = new TaskManagementHandler(this);
        LogoutHandler logout = new LogoutHandler(this);
        ordered[Opcode.SCSI_COMMAND] = (pdu, header) -> scsi.ordered((ScsiCommandPdu) pdu);
        ordered[Opcode.NOP_OUT] = nop::handle;
        ordered[Opcode.TEXT_REQUEST] = text::handle;
        ordered[Opcode.TASK_MGMT_REQUEST] = tmf::handle;
        ordered[Opcode.LOGOUT_REQUEST] = logout::handle;
    }

    Session session() {
        return session;
    }

    PduSink sink() {
        return sink;
    }

    int cid() {
        return cid;
    }

    NegotiatedParameters parameters() {
        return params;
    }

    /** A fresh Target Transfer Tag (never 0xffffffff). */
    int nextTargetTransferTag() {
        int t = nextTtt.getAndIncrement();
        if (t == Bhs.RESERVED_TAG) {
            t = nextTtt.getAndIncrement();
        }
        return t;
    }

    void reject(int reason, byte[] header, String rule) {
        LOG.debug("{}: Reject 0x{}: {}", session, Integer.toHexString(reason), rule);
        sink.send(RejectPdu.of(reason, header));
    }

    /**
     * Handles one decoded PDU. Returns false when the connection must close (logout done or fatal protocol error).
     */
    public boolean handle(Pdu pdu, byte[] header) {
        if (session.isClosed()) {
            return false; // closed under us (reinstatement, reset): nothing more is executed for it
        }
        nop.heard();
        if (!(pdu instanceof InitiatorPdu ip)) {
            reject(RejectReason.PROTOCOL_ERROR, header, "RFC 7143 §11.1: target PDU sent by initiator");
            return true;
        }
        int op = ip.opcode();
        if (op == Opcode.DATA_OUT) {
            return scsi.dataOut((DataOutPdu) ip, header);
        }
        if (op == Opcode.SNACK_REQUEST) {
            reject(RejectReason.PROTOCOL_ERROR, header, "RFC 7143 §11.16: SNACK at ErrorRecoveryLevel 0");
            return true;
        }
        if (op == Opcode.LOGIN_REQUEST) {
            reject(RejectReason.PROTOCOL_ERROR, header, "RFC 7143 §6.3: Login Request in full feature phase");
            return true;
        }
        if (ordered[op] == null) {
            reject(RejectReason.COMMAND_NOT_SUPPORTED, header, "unsupported opcode");
            return true;
        }
        if (op == Opcode.NOP_OUT && ip.initiatorTaskTag() == Bhs.RESERVED_TAG) {
            return nop.handle(ip, header); // a reply to our NOP-In or a no-op: carries no CmdSN
        }
        if (!ip.immediate() && !session.window().inWindow(ip.cmdSN())) {
            LOG.debug("{}: CmdSN {} outside [{}, {}], dropped", session, ip.cmdSN(), session.window().expCmdSN(),
                    session.window().maxCmdSN());
            return true; // RFC 7143 §4.2.2.1: silently ignored
        }
        if (op == Opcode.SCSI_COMMAND && !scsi.arrive((ScsiCommandPdu) ip, header)) {
            return false;
        }
        if (ip.immediate()) {
            return ordered[op].handle(ip, header);
        }
        if (op != Opcode.SCSI_COMMAND) {
            headers.put(ip, header);
        }
        List<InitiatorPdu> ready = session.window().offer(ip.cmdSN(), ip);
        session.refreshWindow();
        if (ready == null) {
            headers.remove(ip);
            LOG.debug("{}: CmdSN {} outside [{}, {}], dropped", session, ip.cmdSN(), session.window().expCmdSN(),
                    session.window().maxCmdSN());
            if (op == Opcode.SCSI_COMMAND) {
                CommandTask t = session.tasks().get(ip.initiatorTaskTag());
                if (t != null && t.command == ip) {
                    session.tasks().remove(t.itt, t);
                }
            }
            return true;
        }
        return deliver(ready);
    }

    boolean deliver(List<InitiatorPdu> ready) {
        for (InitiatorPdu p : ready) {
            byte[] h = headers.remove(p);
            if (!ordered[p.opcode()].handle(p, h)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A PDU arrived with a bad data digest (RFC 7143 §7.8). It is rejected; at ERL 0 nothing can be retransmitted,
     * so a Data-Out's command, or a SCSI command carrying the bad immediate data, ends with "target failure", and a
     * non-immediate command's CmdSN counts as received so the window does not stall. Reader thread only.
     */
    public boolean dataDigestError(byte[] header) {
        reject(RejectReason.DATA_DIGEST_ERROR, header, "RFC 7143 §7.8: data digest error");
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(header);
        int op = Bhs.opcode(b);
        int itt = b.getInt(16);
        if (op == Opcode.DATA_OUT) {
            scsi.failTaskOf(itt);
            return true;
        }
        boolean carriesCmdSN = op == Opcode.SCSI_COMMAND || op == Opcode.TEXT_REQUEST
                || (op == Opcode.NOP_OUT && itt != Bhs.RESERVED_TAG);
        if (carriesCmdSN && !Bhs.immediate(b)) {
            if (!deliver(session.window().consume(b.getInt(24)))) {
                return false;
            }
        }
        if (op == Opcode.SCSI_COMMAND) {
            scsi.sendTargetFailure(itt, 0);
        }
        return true;
    }

    /** Keep-alive timer tick; returns false when the initiator stopped answering and the connection must go. */
    public boolean keepAliveTick(long nowNanos, long intervalNanos, long timeoutNanos) {
        return nop.tick(nowNanos, intervalNanos, timeoutNanos);
    }

    /** The connection is gone: with ERL 0 and one connection per session, the session ends with it. */
    public void connectionLost(String reason) {
        session.close(reason);
    }

}
