package org.remaptarget.target.session;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.remaptarget.target.pdu.Bhs;
import org.remaptarget.target.pdu.InitiatorPdu;
import org.remaptarget.target.pdu.NopInPdu;
import org.remaptarget.target.pdu.NopOutPdu;
import org.remaptarget.target.pdu.Pdu;

/**
 * NOP-Out / NOP-In (RFC 7143 §11.18-19): answers pings, echoing their data, and runs the target's keep-alive: when
 * the connection was silent for an interval, a NOP-In with a fresh TTT asks for a NOP-Out; no answer within the
 * timeout means the connection is dead.
 *
 * <p>Threading: {@link #handle} and {@link #heard} on the reader thread, {@link #tick} on the timer thread; the
 * shared state is atomic.
 */
final class NopHandler {
    private final FullFeatureConnection conn;
    private final AtomicLong lastHeard = new AtomicLong(System.nanoTime());
    private final AtomicInteger pendingTtt = new AtomicInteger(Bhs.RESERVED_TAG);
    private final AtomicLong pingSent = new AtomicLong();

    NopHandler(FullFeatureConnection conn) {
        this.conn = conn;
    }

    void heard() {
        lastHeard.set(System.nanoTime());
    }

    boolean handle(InitiatorPdu pdu, byte[] header) {
        NopOutPdu nop = (NopOutPdu) pdu;
        if (nop.initiatorTaskTag() == Bhs.RESERVED_TAG) {
            if (nop.targetTransferTag() != Bhs.RESERVED_TAG) {
                pendingTtt.compareAndSet(nop.targetTransferTag(), Bhs.RESERVED_TAG);
            }
            return true;
        }
        byte[] echo = nop.data();
        int max = conn.parameters().initiatorMaxRecvDataSegmentLength();
        if (echo.length > max) { // never send more than the initiator can receive
            echo = java.util.Arrays.copyOf(echo, max);
        }
        conn.sink().send(new NopInPdu(nop.lun(), nop.initiatorTaskTag(), Bhs.RESERVED_TAG, 0, 0, 0, echo));
        return true;
    }

    /** Returns false when a keep-alive went unanswered for {@code timeoutNanos}. */
    boolean tick(long now, long intervalNanos, long timeoutNanos) {
        int pending = pendingTtt.get();
        if (pending != Bhs.RESERVED_TAG) {
            return now - pingSent.get() < timeoutNanos || now - lastHeard.get() < timeoutNanos;
        }
        if (intervalNanos <= 0 || now - lastHeard.get() < intervalNanos) {
            return true;
        }
        int ttt = conn.nextTargetTransferTag();
        pingSent.set(now);
        pendingTtt.set(ttt);
        conn.sink().send(new NopInPdu(0, Bhs.RESERVED_TAG, ttt, 0, 0, 0, Pdu.NO_BYTES));
        return true;
    }
}
