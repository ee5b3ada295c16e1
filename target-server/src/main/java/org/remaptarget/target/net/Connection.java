package org.remaptarget.target.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Optional;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentLinkedQueue;
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
import org.remaptarget.target.pdu.RejectReason;
import org.remaptarget.target.pdu.TargetPdu;
import org.remaptarget.target.session.FullFeatureConnection;
import org.remaptarget.target.session.PduSink;
import org.remaptarget.target.session.Session;
import org.remaptarget.target.session.SessionRegistry;
import org.remaptarget.target.session.TargetEntry;

/**
 * One TCP connection: a reader thread (decode → login state machine, then full feature handlers) and a serialised,
 * combining writer: senders (reader, SCSI completion threads, timer) enqueue, then whoever gets {@code writeLock}
 * writes everything queued — stamping StatSN/ExpCmdSN/MaxCmdSN in queue order (so wire order equals StatSN order)
 * and batching PDUs into one gathering write. A sender that finds the lock taken returns at once (the holder writes
 * its PDUs), so at most one thread per connection can be held up by a slow initiator, and the common case has no
 * thread hand-off.
 *
 * <p>Closing: {@link #close} is graceful (queued PDUs such as a Logout Response are written first, then the socket
 * closes); the timer, and the reader as it ends, turn a graceful close that does not finish within
 * {@link #CLOSE_GRACE_NANOS} into {@link #abort}, which closes the socket at once. Invariant: when the reader thread
 * ends, the socket is closed, the session (if any) is closed and the connection has left the server's set.
 */
final class Connection implements PduSink, LoginEnvironment, Runnable {
    private static final Logger LOG = LogManager.getLogger(Connection.class);
    private static final int LOGIN_MAX_SEGMENT = 8192;
    private static final long CLOSE_GRACE_NANOS = 2_000_000_000L;
    private static final int MAX_BATCH = 64;
    private static final Object CLOSE = new Object();

    /** Queue item: a login response (StatSN stamped, window numbers kept). */
    private record LoginItem(LoginResponsePdu pdu) {
    }

    /** Queue item: switch the outgoing digests (after the final login response). */
    private record DigestItem(boolean header, boolean data) {
    }

    private final IscsiServer server;
    private final SocketChannel channel;
    private final String name;
    private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock writeLock = new ReentrantLock();
    /** Writer state, guarded by writeLock. */
    private final List<ByteBuffer> out = new ArrayList<>();
    private int statSN;
    private boolean statSNStarted;
    private boolean headerDigest;
    private boolean dataDigest;
    private volatile long closeRequestedAt;
    private final PduDecoder decoder = new PduDecoder(LOGIN_MAX_SEGMENT);
    private final LoginStateMachine login;
    private final long loginDeadlineNanos;
    private boolean loginStarted;
    private volatile int firstStatSN;
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
            awaitClosed();
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

    /**
     * Writes queued PDUs unless another thread is already doing so (that thread re-checks the queue after
     * releasing the lock, so nothing is stranded). Whoever holds the lock writes everything queued, in order.
     */
    private void drain() {
        while (!queue.isEmpty() && !closed) {
            if (!writeLock.tryLock()) {
                return;
            }
            try {
                writeQueued();
            } catch (IOException e) {
                LOG.debug("{}: write failed: {}", name, e.getMessage());
                abort();
            } catch (RuntimeException e) {
                LOG.error("{}: internal error in the writer", name, e);
                abort();
            } finally {
                writeLock.unlock();
            }
        }
        if (closed) {
            queue.clear();
        }
    }

    /** Stamps, encodes and writes everything queued, in batches of one gathering write. Holds writeLock. */
    private void writeQueued() throws IOException {
        Object item;
        int inBatch = 0;
        while ((item = queue.poll()) != null) {
            if (item == CLOSE) {
                flush(out);
                abort();
                return;
            }
            if (item instanceof DigestItem d) {
                flush(out);
                inBatch = 0;
                headerDigest = d.header();
                dataDigest = d.data();
                continue;
            }
            TargetPdu stamped;
            if (item instanceof LoginItem l) {
                if (!statSNStarted) {
                    statSNStarted = true;
                    statSN = firstStatSN;
                }
                LoginResponsePdu r = l.pdu();
                stamped = r.withNumbers(statSN++, r.expCmdSN(), r.maxCmdSN());
            } else {
                Session s = session;
                TargetPdu p = (TargetPdu) item;
                int sn = p.advancesStatSN() ? statSN++ : statSN;
                stamped = p.withNumbers(sn, s.window().expCmdSN(), s.window().maxCmdSN());
            }
            for (ByteBuffer b : PduEncoder.encode(stamped, headerDigest, dataDigest)) {
                out.add(b);
            }
            if (++inBatch == MAX_BATCH) {
                flush(out);
                inBatch = 0;
            }
        }
        flush(out);
    }

    private void flush(List<ByteBuffer> out) throws IOException {
        if (out.isEmpty()) {
            return;
        }
        ByteBuffer[] bufs = out.toArray(new ByteBuffer[0]);
        long remaining = 0;
        for (ByteBuffer b : bufs) {
            remaining += b.remaining();
        }
        int first = 0;
        while (remaining > 0) {
            long n = channel.write(bufs, first, bufs.length - first);
            remaining -= n;
            while (first < bufs.length && !bufs[first].hasRemaining()) {
                first++;
            }
        }
        out.clear();
    }

    private boolean onFailure(DecodeFailure f) {
        LOG.debug("{}: bad PDU: {}", name, f.rule());
        FullFeatureConnection ffp = fullFeature;
        if (ffp == null) {
            return false; // before full feature phase every malformed PDU ends the login
        }
        if (f.rejectReason() == RejectReason.DATA_DIGEST_ERROR && !f.fatal()) {
            return ffp.dataDigestError(f.header());
        }
        if (f.rejectReason() != 0) {
            send(RejectPdu.of(f.rejectReason(), f.header()));
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
            firstStatSN = req.expStatSN();
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
        session = s;
        queue.add(new DigestItem(p.headerDigest(), p.dataDigest()));
        drain();
        decoder.setDigests(p.headerDigest(), p.dataDigest());
        decoder.setMaxDataSegmentLength(p.targetMaxRecvDataSegmentLength());
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
        if (closeRequestedAt == 0) {
            queue.add(new LoginItem(r));
            drain();
        }
    }

    @Override
    public void send(TargetPdu pdu) {
        if (closeRequestedAt == 0) {
            queue.add(pdu);
            drain();
        }
    }

    @Override
    public void sendAll(List<TargetPdu> pdus) {
        if (closeRequestedAt == 0) {
            queue.addAll(pdus);
            drain();
        }
    }

    /** Graceful close: PDUs queued so far are still written, then the socket closes. Idempotent. */
    @Override
    public synchronized void close(String reason) {
        if (closeRequestedAt != 0) {
            return;
        }
        closeRequestedAt = System.nanoTime() | 1;
        LOG.debug("{}: closing: {}", name, reason);
        queue.add(CLOSE);
        drain();
    }

    /** Lets a graceful close finish writing (bounded by the grace period), then closes the socket for sure. */
    private void awaitClosed() {
        long deadline = System.nanoTime() + CLOSE_GRACE_NANOS;
        while (!closed && System.nanoTime() - deadline < 0) {
            drain();
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        abort();
    }

    /** Immediate close: the socket closes now, unblocking both threads. Idempotent. */
    void abort() {
        if (closed) {
            return;
        }
        closed = true;
        if (closeRequestedAt == 0) {
            closeRequestedAt = System.nanoTime() | 1;
        }
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
        long closing = closeRequestedAt;
        if (closing != 0) {
            if (nowNanos - closing > CLOSE_GRACE_NANOS) {
                abort();
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
