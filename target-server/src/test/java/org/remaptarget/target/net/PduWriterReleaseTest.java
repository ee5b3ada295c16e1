package org.remaptarget.target.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.remaptarget.target.login.LoginIdentity;
import org.remaptarget.target.login.NegotiatedParameters;
import org.remaptarget.target.pdu.Bhs;
import org.remaptarget.target.pdu.TargetPdu;
import org.remaptarget.target.scsi.DataBufferPool;
import org.remaptarget.target.scsi.Nexus;
import org.remaptarget.target.scsi.PooledBuffer;
import org.remaptarget.target.scsi.ScsiCore;
import org.remaptarget.target.scsi.ScsiResult;
import org.remaptarget.target.scsi.ScsiTask;
import org.remaptarget.target.scsi.TaskManagementFunction;
import org.remaptarget.target.scsi.TmfResponse;
import org.remaptarget.target.session.ResponseBuilder;
import org.remaptarget.target.session.Session;
import org.remaptarget.target.session.SessionRegistry;
import org.remaptarget.target.session.TargetEntry;
import org.remaptarget.target.session.WriteBudget;

/** The writer releases a pooled Data-In buffer exactly once, and never before the socket has taken its bytes. */
class PduWriterReleaseTest {
    private static final int DATA = 4 << 20; // far more than the socket buffers: the write blocks until read
    private static final long WAIT_MS = 10_000;

    private final DataBufferPool pool = new DataBufferPool(1 << 16, DATA, 2L * DATA * 7);
    private final ResponseBuilder responses = new ResponseBuilder(262_144, 1 << 24);
    private ServerSocketChannel server;
    private SocketChannel client;
    private SocketChannel peer;
    private PduWriter writer;

    @BeforeEach
    void connect() throws IOException {
        server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        client = SocketChannel.open();
        client.setOption(StandardSocketOptions.SO_RCVBUF, 65536);
        client.connect(server.getLocalAddress());
        peer = server.accept();
        peer.setOption(StandardSocketOptions.SO_SNDBUF, 65536);
        writer = new PduWriter(peer, "test");
        writer.session(session());
    }

    @AfterEach
    void close() throws IOException {
        writer.abort();
        client.close();
        server.close();
    }

    private static Session session() {
        ScsiCore core = new ScsiCore() {
            @Override
            public void submit(ScsiTask task) {
            }

            @Override
            public TmfResponse taskManagement(Nexus n, TaskManagementFunction f, long lun, long tag) {
                return TmfResponse.FUNCTION_COMPLETE;
            }

            @Override
            public void nexusLost(Nexus nexus) {
            }

            @Override
            public List<Long> luns(Nexus nexus) {
                return List.of(0L);
            }
        };
        NegotiatedParameters params = new NegotiatedParameters(false, "iqn.i", null, "iqn.t", false, false, 1, true,
                true, 8192, 8192, 262144, 65536, 2, 20, 1, true, true, 0);
        SessionRegistry registry = new SessionRegistry(2, new WriteBudget(1 << 20));
        return registry.open(new LoginIdentity("iqn.i", null, 1, 0, 0, "iqn.t", false), params,
                new TargetEntry("iqn.t", "", core), 1, 0, 128).session();
    }

    private PooledBuffer filled(int seed) {
        PooledBuffer b = pool.acquire(DATA);
        for (int i = 0; i < DATA; i += 4) {
            b.buffer().putInt(i, i * 31 + seed);
        }
        return b;
    }

    private List<TargetPdu> response(PooledBuffer b, int itt) {
        return responses.build(ScsiResult.goodWithBuffer(b, DATA), itt, 0, DATA, true, false, 0, 0);
    }

    private static Thread start(Runnable r) {
        Thread t = new Thread(r, "sender");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Reads PDUs until {@code bytes} of Data-In payload arrived; returns the payload. */
    private byte[] readPayload(int bytes) throws IOException {
        byte[] payload = new byte[bytes];
        int got = 0;
        ByteBuffer bhs = ByteBuffer.allocate(Bhs.LENGTH);
        while (got < bytes) {
            bhs.clear();
            readFully(bhs);
            int len = Bhs.dataSegmentLength(bhs.flip());
            ByteBuffer seg = ByteBuffer.wrap(payload, got, len);
            readFully(seg);
            got += len;
            readFully(ByteBuffer.allocate(Bhs.pad(len)));
        }
        return payload;
    }

    private void readFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (client.read(b) < 0) {
                throw new IOException("closed");
            }
        }
    }

    @Test
    void theBufferIsReleasedOnceAndOnlyAfterEveryByteWasWritten() throws Exception {
        PooledBuffer b = filled(1);
        byte[] expected = new byte[DATA];
        b.buffer().duplicate().get(expected);
        AtomicInteger releases = new AtomicInteger();
        List<TargetPdu> pdus = response(b, 1);
        Thread sender = start(() -> writer.sendAll(pdus, () -> {
            releases.incrementAndGet();
            b.release();
        }));
        Thread.sleep(200); // the sender is blocked on a full socket
        assertEquals(0, releases.get(), "released while the socket still had bytes to take");
        assertFalse(b.isReleased());
        assertArrayEquals(expected, readPayload(DATA));
        sender.join(WAIT_MS);
        assertFalse(sender.isAlive());
        assertEquals(1, releases.get());
        assertTrue(b.isReleased());
    }

    @Test
    void abortingTheConnectionReleasesTheWrittenAndTheQueuedBuffersOnceEach() throws Exception {
        AtomicInteger first = new AtomicInteger();
        AtomicInteger second = new AtomicInteger();
        List<TargetPdu> a = response(filled(1), 1);
        List<TargetPdu> b = response(filled(2), 2);
        Thread sender = start(() -> writer.sendAll(a, first::incrementAndGet));
        Thread.sleep(200);
        writer.sendAll(b, second::incrementAndGet); // queued behind the blocked write; returns at once
        assertEquals(0, first.get() + second.get());
        writer.abort();
        sender.join(WAIT_MS);
        assertFalse(sender.isAlive());
        assertEquals(1, first.get());
        assertEquals(1, second.get());
    }

    @Test
    void sendingOnAClosedConnectionReleasesAtOnce() {
        writer.abort();
        AtomicInteger releases = new AtomicInteger();
        writer.sendAll(response(filled(3), 3), releases::incrementAndGet);
        assertEquals(1, releases.get());
    }
}
