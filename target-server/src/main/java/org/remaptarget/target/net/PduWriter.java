package org.remaptarget.target.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.remaptarget.target.pdu.LoginResponsePdu;
import org.remaptarget.target.pdu.PduEncoder;
import org.remaptarget.target.pdu.TargetPdu;
import org.remaptarget.target.session.PduSink;
import org.remaptarget.target.session.Session;

/**
 * The output side of one connection: a serialised, combining writer. Any thread enqueues; whichever thread gets
 * {@code writeLock} writes everything queued, stamping StatSN/ExpCmdSN/MaxCmdSN in queue order (so wire order equals
 * StatSN order) and batching PDUs into one gathering write. A thread finding the lock busy returns at once — the
 * holder writes its PDUs — so at most one thread per connection is held up by a slow initiator and the common case
 * has no thread hand-off.
 *
 * <p>Buffer release ({@link #sendAll(List, Runnable)}): a release hook is queued behind its PDUs; when the writer
 * reaches it, the hook waits in {@code pendingRelease} until the next gathering write has completed (the kernel has
 * copied every byte), then runs. When the connection dies, hooks run only under {@code writeLock} after the socket
 * is closed, i.e. when no write can be reading the buffers any more; a hook that cannot be reached that way is
 * dropped (its buffer goes to the GC, never back to the pool early).
 *
 * <p>Closing: {@link #close} is graceful (queued PDUs such as a Logout Response are written first, then the socket
 * closes); {@link #abort} closes the socket at once. Stamping state is guarded by {@code writeLock}.
 */
final class PduWriter implements PduSink {
    private static final Logger LOG = LogManager.getLogger(PduWriter.class);
    static final long CLOSE_GRACE_NANOS = 2_000_000_000L;
    private static final int MAX_BATCH = 64;
    private static final Object CLOSE = new Object();

    /** Queue item: a login response (StatSN stamped, its window numbers kept). */
    private record LoginItem(LoginResponsePdu pdu) {
    }

    /** Queue item: run once the PDUs queued before it are written. */
    private record ReleaseItem(Runnable hook) {
    }

    /** Queue item: switch the outgoing digests (after the final login response). */
    private record DigestItem(boolean header, boolean data) {
    }

    private final SocketChannel channel;
    private final String name;
    private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final List<ByteBuffer> out = new ArrayList<>();
    private final List<Runnable> pendingRelease = new ArrayList<>(); // guarded by writeLock
    private int statSN;
    private boolean statSNStarted;
    private boolean headerDigest;
    private boolean dataDigest;
    private volatile int firstStatSN;
    private volatile Session session;
    private volatile long closeRequestedAt;
    private volatile boolean closed;

    PduWriter(SocketChannel channel, String name) {
        this.channel = channel;
        this.name = name;
    }

    /** The StatSN of the first Login Response (the initiator's ExpStatSN in its first Login Request). */
    void firstStatSN(int sn) {
        firstStatSN = sn;
    }

    /** The session whose CmdSN window stamps full feature PDUs. */
    void session(Session s) {
        session = s;
    }

    void sendLogin(LoginResponsePdu r) {
        enqueue(new LoginItem(r));
    }

    /** Digests apply to every PDU queued after this call. */
    void switchDigests(boolean header, boolean data) {
        enqueue(new DigestItem(header, data));
    }

    @Override
    public void send(TargetPdu pdu) {
        enqueue(pdu);
    }

    @Override
    public void sendAll(List<TargetPdu> pdus) {
        if (closeRequestedAt == 0) {
            queue.addAll(pdus);
            drain();
        }
    }

    @Override
    public void sendAll(List<TargetPdu> pdus, Runnable afterWritten) {
        if (closeRequestedAt == 0) {
            queue.addAll(pdus);
            queue.add(new ReleaseItem(afterWritten));
            drain();
        } else {
            afterWritten.run(); // nothing was queued: nothing refers to the data
        }
    }

    private void enqueue(Object item) {
        if (closeRequestedAt == 0) {
            queue.add(item);
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
    void awaitClosed() {
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
        discardQueued(); // release what will never be written (unless a writer still runs: it does this itself)
    }

    /** Immediate close: the socket closes now, unblocking reader and writer. Idempotent. */
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

    /** When a close was requested ({@link System#nanoTime()}), or 0. */
    long closeRequestedAt() {
        return closeRequestedAt;
    }

    /**
     * Writes queued PDUs unless another thread is already doing so (that thread re-checks the queue after releasing
     * the lock, so nothing is stranded).
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
            discardQueued();
        }
    }

    /**
     * After the socket closed: drops queued PDUs and runs the release hooks of everything that will never be
     * written. Only under writeLock (so no write is in progress); if another thread holds it, that thread does it.
     */
    private void discardQueued() {
        if (!writeLock.tryLock()) {
            return;
        }
        try {
            runPendingReleases();
            Object item;
            while ((item = queue.poll()) != null) {
                if (item instanceof ReleaseItem r) {
                    runHook(r.hook());
                }
            }
        } finally {
            writeLock.unlock();
        }
    }

    private void runPendingReleases() {
        for (Runnable r : pendingRelease) {
            runHook(r);
        }
        pendingRelease.clear();
    }

    private void runHook(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.error("{}: release hook failed", name, e);
        }
    }

    /** Stamps, encodes and writes everything queued, in batches of one gathering write. Holds writeLock. */
    private void writeQueued() throws IOException {
        Object item;
        int inBatch = 0;
        while ((item = queue.poll()) != null) {
            if (item == CLOSE) {
                flush();
                abort();
                return;
            }
            if (item instanceof ReleaseItem r) {
                pendingRelease.add(r.hook()); // its PDUs are in 'out' or already written
                continue;
            }
            if (item instanceof DigestItem d) {
                flush();
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
                flush();
                inBatch = 0;
            }
        }
        flush();
    }

    private void flush() throws IOException {
        if (out.isEmpty()) {
            runPendingReleases();
            return;
        }
        ByteBuffer[] bufs = out.toArray(new ByteBuffer[0]);
        out.clear();
        long remaining = 0;
        for (ByteBuffer b : bufs) {
            remaining += b.remaining();
        }
        int first = 0;
        while (remaining > 0) {
            remaining -= channel.write(bufs, first, bufs.length - first);
            while (first < bufs.length && !bufs[first].hasRemaining()) {
                first++;
            }
        }
        runPendingReleases(); // every byte queued so far has been copied by the kernel
    }
}
