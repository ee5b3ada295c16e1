package org.remaptarget.target.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Optional;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.remaptarget.target.login.Admission;
import org.remaptarget.target.login.Authenticator;
import org.remaptarget.target.login.LoginConfig;
import org.remaptarget.target.login.LoginEnvironment;
import org.remaptarget.target.login.LoginIdentity;
import org.remaptarget.target.login.LoginStateMachine;
import org.remaptarget.target.login.LoginStatus;
import org.remaptarget.target.login.LoginStep;
import org.remaptarget.target.login.NegotiatedParameters;
import org.remaptarget.target.pdu.Bhs;
import org.remaptarget.target.pdu.DecodeFailure;
import org.remaptarget.target.pdu.DecodeResult;
import org.remaptarget.target.pdu.LoginRequestPdu;
import org.remaptarget.target.pdu.Opcode;
import org.remaptarget.target.pdu.PduDecoder;
import org.remaptarget.target.pdu.RejectPdu;
import org.remaptarget.target.pdu.RejectReason;
import org.remaptarget.target.session.FullFeatureConnection;
import org.remaptarget.target.session.Session;
import org.remaptarget.target.session.SessionRegistry;
import org.remaptarget.target.session.TargetDirectory;
import org.remaptarget.target.session.TargetEntry;

/**
 * One TCP connection's input side: its reader thread decodes PDUs and feeds the login state machine, then the full
 * feature handlers; it implements the login's {@link LoginEnvironment} against the server's registry. Output goes
 * through the connection's {@link PduWriter}.
 *
 * <p>Invariant: when the reader thread ends, the socket is closed, the session (if any) is closed and the connection
 * has left the server's set.
 */
final class Connection implements LoginEnvironment, Runnable {
    private static final Logger LOG = LogManager.getLogger(Connection.class);
    private static final int LOGIN_MAX_SEGMENT = 8192;
    private final IscsiServer server;
    private final SocketChannel channel;
    private final String name;
    private final PduWriter writer;
    private final PduDecoder decoder = new PduDecoder(LOGIN_MAX_SEGMENT);
    private final LoginStateMachine login;
    private final Authenticator loginAuthenticator;
    private final long loginDeadlineNanos;
    private boolean loginStarted;
    private int loginCmdSN;
    private Session pendingSession;
    private volatile FullFeatureConnection fullFeature;

    Connection(IscsiServer server, SocketChannel channel, String name, long nowNanos) {
        this.server = server;
        this.channel = channel;
        this.name = name;
        this.writer = new PduWriter(channel, name);
        IscsiSettings s = server.settings();
        this.loginAuthenticator = server.authenticator().forLogin(remoteAddress(channel));
        this.login = new LoginStateMachine(this, new LoginConfig(s.targetKeyValues(), s.portalGroupTag(),
                s.commandWindow(), 65536, loginAuthenticator));
        this.loginDeadlineNanos = nowNanos + s.loginTimeout().toNanos();
    }

    String name() {
        return name;
    }

    @Override
    public void run() {
        String reason = "connection closed by initiator";
        ByteBuffer in = ByteBuffer.allocateDirect(256 * 1024); // direct: the socket read needs no bounce copy
        try {
            loop:
            while (!writer.isClosed()) {
                if (channel.read(in) < 0) {
                    break;
                }
                in.flip();
                while (true) {
                    DecodeResult r = decoder.decode(in);
                    if (r instanceof DecodeResult.NeedMore) {
                        break;
                    }
                    if (r instanceof DecodeResult.Failed f) {
                        if (!onFailure(f.failure())) {
                            reason = f.failure().rule();
                            break loop;
                        }
                        continue;
                    }
                    DecodeResult.Decoded d = (DecodeResult.Decoded) r;
                    if (!dispatch(d)) {
                        reason = "ended by protocol";
                        break loop;
                    }
                }
                in.compact();
            }
        } catch (IOException e) {
            reason = writer.isClosed() ? "closed" : "I/O error: " + e.getMessage();
        } catch (RuntimeException e) {
            reason = "internal error: " + e;
            LOG.error("{}: internal error, dropping the connection", name, e);
        } finally {
            writer.close(reason);
            // the nexus is lost now, not after the writer's grace period: an initiator that dropped the connection
            // may log in again within a millisecond and must find its PREVENT holds, reservations of the old
            // nexus and tasks already gone (queued PDUs, such as a Logout Response, are still written below)
            FullFeatureConnection ffp = fullFeature;
            if (ffp != null) {
                ffp.connectionLost(reason);
            } else if (pendingSession != null) {
                pendingSession.close(reason);
            }
            writer.awaitClosed();
            server.connectionEnded(this);
            LOG.debug("{}: ended: {}", name, reason);
        }
    }

    private boolean onFailure(DecodeFailure f) {
        LOG.debug("{}: bad PDU: {}", name, f.rule());
        FullFeatureConnection ffp = fullFeature;
        if (ffp == null) {
            ByteBuffer h = ByteBuffer.wrap(f.header());
            if (Bhs.opcode(h) == Opcode.LOGIN_REQUEST) {
                writer.firstStatSN(h.getInt(28));
                writer.sendLogin(LoginStateMachine.refusal(Bhs.isid(h), Bhs.u16(h, 14), h.getInt(16),
                        h.getInt(24), LoginStatus.INITIATOR_ERROR));
            }
            return false; // before full feature phase every malformed PDU ends the login
        }
        if (f.rejectReason() == RejectReason.DATA_DIGEST_ERROR && !f.fatal()) {
            return ffp.dataDigestError(f.header());
        }
        if (f.rejectReason() != 0) {
            writer.send(RejectPdu.of(f.rejectReason(), f.header()));
        }
        return !f.fatal();
    }

    private boolean dispatch(DecodeResult.Decoded d) {
        FullFeatureConnection ffp = fullFeature;
        if (ffp != null) {
            return ffp.handle(d.pdu(), d.header());
        }
        if (!(d.pdu() instanceof LoginRequestPdu req)) {
            LOG.debug("{}: non-login PDU during login", name);
            return false; // RFC 7143 §6.3: only Login Requests before full feature phase
        }
        loginCmdSN = req.cmdSN();
        if (!loginStarted) {
            loginStarted = true;
            writer.firstStatSN(req.expStatSN());
        }
        LoginStep step;
        try {
            step = login.onRequest(req);
        } catch (RuntimeException e) {
            LOG.error("{}: internal error during login", name, e);
            writer.sendLogin(LoginStateMachine.refusal(req.isid(), req.tsih(), req.initiatorTaskTag(), req.cmdSN(),
                    LoginStatus.TARGET_ERROR));
            return false;
        }
        writer.sendLogin(step.response());
        switch (step.next()) {
            case CONTINUE -> {
                return true;
            }
            case CLOSE -> {
                LOG.info("{}: login refused (0x{}{}): {}", name,
                        String.format("%02x", step.response().statusClass()),
                        String.format("%02x", step.response().statusDetail()), step.reason());
                return false;
            }
            default -> {
                enterFullFeature(step.parameters());
                return true;
            }
        }
    }

    private void enterFullFeature(NegotiatedParameters p) {
        Session s = pendingSession;
        pendingSession = null;
        writer.session(s);
        writer.switchDigests(p.headerDigest(), p.dataDigest());
        decoder.setDigests(p.headerDigest(), p.dataDigest());
        decoder.setMaxDataSegmentLength(p.targetMaxRecvDataSegmentLength());
        fullFeature = new FullFeatureConnection(s, writer, visibleTargets(), server.targetAddresses(localAddress()),
                login.identity().cid());
        s.attach(writer);
        LOG.info("{}: {} in full feature phase", name, s);
    }

    /** The targets this login's initiator may see in SendTargets (the authenticator decides). */
    private TargetDirectory visibleTargets() {
        Authenticator auth = loginAuthenticator;
        LoginIdentity who = login.identity();
        TargetDirectory all = server.targets();
        return new TargetDirectory() {
            @Override
            public Optional<TargetEntry> lookup(String iqn) {
                return all.lookup(iqn).filter(t -> auth.mayDiscover(who, t.iqn()));
            }

            @Override
            public List<TargetEntry> all() {
                return all.all().stream().filter(t -> auth.mayDiscover(who, t.iqn())).toList();
            }
        };
    }

    private static InetSocketAddress remoteAddress(SocketChannel ch) {
        try {
            return (InetSocketAddress) ch.getRemoteAddress();
        } catch (IOException e) {
            return null;
        }
    }

    private InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            return null;
        }
    }

    // ---- LoginEnvironment ----

    @Override
    public Optional<String> targetAlias(String targetName) {
        return server.targets().lookup(targetName).map(TargetEntry::alias);
    }

    @Override
    public Admission admit(LoginIdentity identity, NegotiatedParameters parameters) {
        TargetEntry target = null;
        if (!identity.discovery()) {
            target = server.targets().lookup(identity.targetName()).orElse(null);
            if (target == null) {
                return Admission.refused(LoginStatus.TARGET_REMOVED);
            }
        }
        IscsiSettings s = server.settings();
        SessionRegistry.Opened opened = server.registry().open(identity, parameters, target, s.portalGroupTag(),
                loginCmdSN, s.commandWindow());
        if (opened.session() == null) {
            return Admission.refused(opened.status());
        }
        pendingSession = opened.session();
        return Admission.admitted(opened.session().tsih());
    }

    /** Graceful close (queued PDUs are written first). */
    void close(String reason) {
        writer.close(reason);
    }

    /** Immediate close. */
    void abort() {
        writer.abort();
    }

    /** Timer tick: login deadline and keep-alive. */
    void tick(long nowNanos) {
        long closing = writer.closeRequestedAt();
        if (closing != 0) {
            if (nowNanos - closing > PduWriter.CLOSE_GRACE_NANOS) {
                writer.abort();
            }
            return;
        }
        FullFeatureConnection ffp = fullFeature;
        IscsiSettings s = server.settings();
        if (ffp == null) {
            if (nowNanos - loginDeadlineNanos > 0) {
                LOG.info("{}: login timed out", name);
                close("login timeout");
            }
            return;
        }
        if (!ffp.keepAliveTick(nowNanos, s.nopInInterval().toNanos(), s.nopInTimeout().toNanos())) {
            LOG.info("{}: keep-alive NOP-In unanswered, dropping the connection", name);
            close("keep-alive timeout");
        }
    }
}
