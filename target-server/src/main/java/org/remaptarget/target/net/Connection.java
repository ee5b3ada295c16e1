package org.remaptarget.target.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.remaptarget.target.login.Admission;
import org.remaptarget.target.login.LoginConfig;
import org.remaptarget.target.login.LoginEnvironment;
import org.remaptarget.target.login.LoginIdentity;
import org.remaptarget.target.login.LoginStateMachine;
import org.remaptarget.target.login.LoginStatus;
import org.remaptarget.target.login.LoginStep;
import org.remaptarget.target.login.NegotiatedParameters;
import org.remaptarget.target.pdu.DecodeFailure;
import org.remaptarget.target.pdu.DecodeResult;
import org.remaptarget.target.pdu.LoginRequestPdu;
import org.remaptarget.target.pdu.LoginResponsePdu;
import org.remaptarget.target.pdu.PduDecoder;
import org.remaptarget.target.pdu.PduEncoder;
import org.remaptarget.target.pdu.RejectPdu;
import org.remaptarget.target.pdu.TargetPdu;
import org.remaptarget.target.session.FullFeatureConnection;
import org.remaptarget.target.session.PduSink;
import org.remaptarget.target.session.Session;
import org.remaptarget.target.session.SessionRegistry;
import org.remaptarget.target.session.TargetEntry;

/**
 * One TCP connection: its reader thread (decode → login state machine, then full feature handlers) and its
 * serialised writer (the {@link PduSink}: a lock around StatSN stamping, encoding and the gathering write, so wire
 * order equals StatSN order). Implements the login's {@link LoginEnvironment} against the server's registry.
 *
 * <p>Locks: {@code writeLock} only around one send batch. {@link #close} never takes it: closing the channel
 * unblocks a stuck writer and the reader. Invariant: after the reader thread ends, the session (if any) is closed
 * and the connection is out of the server's set.
 */
final class Connection implements PduSink, LoginEnvironment, Runnable {
    private static final Logger LOG = LogManager.getLogger(Connection.class);
    private static final int LOGIN_MAX_SEGMENT = 8192;

    private final IscsiServer server;
    private final SocketChannel channel;
    private final String name;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final PduDecoder decoder = new PduDecoder(LOGIN_MAX_SEGMENT);
    private final LoginStateMachine login;
    private final long loginDeadlineNanos;
    private int statSN;
    private boolean statSNStarted;
    private boolean sendHeaderDigest;
    private boolean sendDataDigest;
    private int loginCmdSN;
    private Session pendingSession;
    private volatile Session session;
    private volatile FullFeatureConnection fullFeature;
    private volatile boolean closed;

    Connection(IscsiServer server, SocketChannel channel, String name, long nowNanos) {
        this.server = server;
        this.channel = channel;
        this.name = name;
        IscsiSettings s = server.settings();
        this.login = new LoginStateMachine(this, new LoginConfig(s.targetKeyValues(), s.portalGroupTag(),
                s.commandWindow(), 65536, server.authenticator()));
        this.loginDeadlineNanos = nowNanos + s.loginTimeout().toNanos();
    }

    String name() {
        return name;
    }

    @Override
    public void run() {
        String reason = "connection closed by initiator";
        ByteBuffer in = ByteBuffer.allocate(256 * 1024);
        try {
            loop:
            while (!closed) {
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
            reason = closed ? "closed" : "I/O error: " + e.getMessage();
        } catch (RuntimeException e) {
            reason = "internal error: " + e;
            LOG.error("{}: internal error, dropping the connection", name, e);
        } finally {
            close(reason);
            FullFeatureConnection ffp = fullFeature;
            if (ffp != null) {
                ffp.connectionLost(reason);
            } else if (pendingSession != null) {
                pendingSession.close(reason);
            }
            server.connectionEnded(this);
            LOG.debug("{}: ended: {}", name, reason);
        }
    }

    private boolean onFailure(DecodeFailure f) {
        LOG.debug("{}: bad PDU: {}", name, f.rule());
        if (f.rejectReason() != 0 && fullFeature != null) {
            send(RejectPdu.of(f.rejectReason(), f.header()));
        }
        return !f.fatal() && fullFeature != null;
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
        if (!statSNStarted) {
            statSNStarted = true;
            statSN = req.expStatSN();
        }
        LoginStep step = login.onRequest(req);
        sendLogin(step.response());
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
        writeLock.lock();
        try {
            sendHeaderDigest = p.headerDigest();
            sendDataDigest = p.dataDigest();
        } finally {
            writeLock.unlock();
        }
        decoder.setDigests(p.headerDigest(), p.dataDigest());
        decoder.setMaxDataSegmentLength(p.targetMaxRecvDataSegmentLength());
        session = s;
        fullFeature = new FullFeatureConnection(s, this, server.targets(), server.targetAddresses(localAddress()),
                login.identity().cid());
        s.attach(this);
        LOG.info("{}: {} in full feature phase", name, s);
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

    // ---- PduSink ----

    private void sendLogin(LoginResponsePdu r) {
        writeLock.lock();
        try {
            write(r.withNumbers(statSN++, r.expCmdSN(), r.maxCmdSN()));
        } catch (IOException e) {
            close("write failed: " + e.getMessage());
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void send(TargetPdu pdu) {
        sendAll(List.of(pdu));
    }

    @Override
    public void sendAll(List<TargetPdu> pdus) {
        if (closed) {
            return;
        }
        Session s = session;
        writeLock.lock();
        try {
            for (TargetPdu p : pdus) {
                int exp = s == null ? loginCmdSN : s.window().expCmdSN();
                int max = s == null ? loginCmdSN : s.window().maxCmdSN();
                int sn = p.advancesStatSN() ? statSN++ : statSN;
                write(p.withNumbers(sn, exp, max));
            }
        } catch (IOException e) {
            close("write failed: " + e.getMessage());
        } finally {
            writeLock.unlock();
        }
    }

    private void write(TargetPdu pdu) throws IOException {
        if (closed) {
            return;
        }
        ByteBuffer[] bufs = PduEncoder.encode(pdu, sendHeaderDigest, sendDataDigest);
        long remaining = 0;
        for (ByteBuffer b : bufs) {
            remaining += b.remaining();
        }
        while (remaining > 0) {
            long n = channel.write(bufs);
            if (n < 0) {
                throw new IOException("channel closed");
            }
            remaining -= n;
        }
    }

    @Override
    public void close(String reason) {
        if (closed) {
            return;
        }
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("{}: close failed", name, e);
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** Timer tick: login deadline and keep-alive. */
    void tick(long nowNanos) {
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
