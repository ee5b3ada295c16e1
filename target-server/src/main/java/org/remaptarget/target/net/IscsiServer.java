package org.remaptarget.target.net;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.remaptarget.target.login.Authenticator;
import org.remaptarget.target.session.Session;
import org.remaptarget.target.session.SessionRegistry;
import org.remaptarget.target.session.TargetDirectory;
import org.remaptarget.target.session.WriteBudget;

/**
 * The iSCSI target server: listens on every portal, runs one reader thread per connection (blocking NIO), one
 * acceptor thread per portal and one timer thread (login timeouts, keep-alive NOP-Ins). SCSI execution happens in
 * each target's {@code ScsiCore}; completions write through the connection's serialised writer.
 *
 * <p>Lifecycle: constructed idle (no I/O), {@link #start()} binds, {@link #close()} closes listeners, connections
 * and sessions and joins every thread it started; idempotent. Holds no static state.
 */
public final class IscsiServer implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(IscsiServer.class);
    private static final long JOIN_MILLIS = 5000;

    private final IscsiSettings settings;
    private final TargetDirectory targets;
    private final Authenticator authenticator;
    private final SessionRegistry registry;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final List<ServerSocketChannel> listeners = new ArrayList<>();
    private final List<InetSocketAddress> bound = new ArrayList<>();
    private ScheduledExecutorService timer;
    private volatile boolean started;
    private volatile boolean closed;

    public IscsiServer(IscsiSettings settings, TargetDirectory targets) {
        this(settings, targets, Authenticator.none());
    }

    /** With an authenticator for the security stage (CHAP plugs in here). */
    public IscsiServer(IscsiSettings settings, TargetDirectory targets, Authenticator authenticator) {
        this.settings = Objects.requireNonNull(settings);
        this.targets = Objects.requireNonNull(targets);
        this.authenticator = Objects.requireNonNull(authenticator);
        this.registry = new SessionRegistry(settings.maxSessions(), settings.maxSessionsPerTarget(),
                new WriteBudget(settings.maxWriteBufferBytes()));
    }

    IscsiSettings settings() {
        return settings;
    }

    TargetDirectory targets() {
        return targets;
    }

    Authenticator authenticator() {
        return authenticator;
    }

    SessionRegistry registry() {
        return registry;
    }

    /** Binds every portal and starts accepting. */
    public synchronized void start() throws IOException {
        if (started || closed) {
            throw new IllegalStateException(closed ? "closed" : "already started");
        }
        started = true;
        try {
            for (InetSocketAddress portal : settings.portals()) {
                ServerSocketChannel ch = ServerSocketChannel.open();
                listeners.add(ch);
                ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                ch.bind(portal, 256);
                bound.add((InetSocketAddress) ch.getLocalAddress());
            }
        } catch (IOException e) {
            close();
            throw e;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "iscsi-timer");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(100, Math.min(1000, settings.nopInInterval().toMillis() / 2));
        timer.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
        for (int i = 0; i < listeners.size(); i++) {
            ServerSocketChannel ch = listeners.get(i);
            Thread t = new Thread(() -> acceptLoop(ch), "iscsi-accept-" + format(bound.get(i)));
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        LOG.info("iSCSI target listening on {}", bound);
    }

    public synchronized List<InetSocketAddress> boundAddresses() {
        return List.copyOf(bound);
    }

    /** Live normal sessions. */
    public int sessionCount() {
        return registry.normalCount();
    }

    /** Every live session (normal and discovery). */
    public List<Session> sessions() {
        return registry.sessions();
    }

    private void acceptLoop(ServerSocketChannel listener) {
        try {
            while (!closed) {
                SocketChannel ch = listener.accept();
                try {
                    ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    ch.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
                    String name = "iscsi-conn-" + format((InetSocketAddress) ch.getRemoteAddress());
                    Connection c = new Connection(this, ch, name, System.nanoTime());
                    Thread reader = new Thread(c, name);
                    reader.setDaemon(true);
                    synchronized (this) {
                        if (closed) {
                            ch.close();
                            return;
                        }
                        connections.add(c);
                        threads.add(reader);
                    }
                    reader.start();
                } catch (IOException e) {
                    LOG.debug("accept setup failed", e);
                    ch.close();
                }
            }
        } catch (ClosedChannelException e) {
            // closing
        } catch (IOException e) {
            if (!closed) {
                LOG.warn("listener failed", e);
            }
        } finally {
            threads.remove(Thread.currentThread());
        }
    }

    /** Called by a connection's reader thread as it ends (the socket is closed by then). */
    void connectionEnded(Connection c) {
        connections.remove(c);
        threads.remove(Thread.currentThread());
    }

    private void tick() {
        long now = System.nanoTime();
        for (Connection c : connections) {
            try {
                c.tick(now);
            } catch (RuntimeException e) {
                LOG.warn("{}: timer failure", c.name(), e);
            }
        }
    }

    /** SendTargets addresses for a connection arriving on {@code local}: "ip:port,tpgt" per portal. */
    List<String> targetAddresses(InetSocketAddress local) {
        List<String> out = new ArrayList<>();
        for (InetSocketAddress b : boundAddresses()) {
            InetAddress a = b.getAddress();
            if ((a == null || a.isAnyLocalAddress()) && local != null) {
                a = local.getAddress();
            }
            String host = a instanceof Inet6Address ? "[" + a.getHostAddress() + "]" : a.getHostAddress();
            out.add(host + ":" + b.getPort() + "," + settings.portalGroupTag());
        }
        return out;
    }

    private static String format(InetSocketAddress a) {
        InetAddress ip = a.getAddress();
        return (ip == null ? a.getHostString() : ip.getHostAddress()) + ":" + a.getPort();
    }

    @Override
    public void close() {
        List<Thread> toJoin;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            for (ServerSocketChannel l : listeners) {
                try {
                    l.close();
                } catch (IOException e) {
                    LOG.debug("listener close failed", e);
                }
            }
            for (Connection c : connections) {
                c.abort();
            }
            toJoin = new ArrayList<>(threads);
        }
        for (Thread t : toJoin) {
            try {
                t.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Session s : registry.sessions()) {
            s.close("server shutting down");
        }
        if (timer != null) {
            timer.shutdownNow();
            try {
                timer.awaitTermination(JOIN_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LOG.info("iSCSI target stopped");
    }
}
