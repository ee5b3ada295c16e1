package org.remaptarget.target.scsi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.remaptarget.target.scsi.Harness.BS;
import static org.remaptarget.target.scsi.Harness.assertGood;
import static org.remaptarget.target.scsi.Harness.assertSense;
import static org.remaptarget.target.scsi.Harness.data;
import static org.remaptarget.target.scsi.Harness.pattern;
import static org.remaptarget.target.scsi.Harness.rw10;

import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class PooledReadTest {
    private final Harness h = new Harness();
    private final DataBufferPool pool = h.core.dataBuffers();

    @Test
    void aLargeReadReturnsItsDataInAPooledDirectBuffer() {
        byte[] d = pattern(256 * BS, 7);
        assertGood(h.run(rw10(0x2A, 0, 40, 256), d));
        ScsiResult r = h.run(rw10(0x28, 0, 40, 256));
        assertGood(r);
        assertNotNull(r.pooledDataIn());
        assertNull(r.dataIn());
        assertTrue(r.pooledDataIn().buffer().isDirect());
        assertEquals(d.length, r.dataInLength());
        assertArrayEquals(d, data(r));
    }

    @Test
    void aSmallReadStaysInAnArray() {
        ScsiResult r = h.run(rw10(0x28, 0, 0, 8));
        assertGood(r);
        assertNull(r.pooledDataIn());
        assertEquals(8 * BS, r.dataIn().length);
    }

    @Test
    void aFailedLargeReadGivesItsBufferBackToThePool() {
        h.device.badForRead.add(300L);
        long idle = pool.idleBytes();
        ScsiResult r = h.run(rw10(0x28, 0, 200, 256));
        assertSense(r, SenseReason.UNRECOVERED_READ_ERROR);
        assertNull(r.pooledDataIn());
        assertEquals(idle + 256 * BS, pool.idleBytes(), "the buffer went back to the pool");
    }

    @Test
    void aTaskAbortedWhileReadingReleasesItsBufferAndAnswersAborted() {
        AtomicReference<ScsiResult> seen = new AtomicReference<>();
        ScsiTask t = h.task(h.a, 0, rw10(0x28, 0, 0, 256), null, TaskAttribute.SIMPLE, seen::set);
        PooledBuffer lease = pool.acquire(256 * BS);
        assertTrue(t.abort());
        t.complete(ScsiResult.goodWithBuffer(lease, 256 * BS));
        assertTrue(lease.isReleased());
        assertSame(ScsiResult.abortedTask(), seen.get());
    }

    @Test
    void informationalExceptionOnALargeReadKeepsTheBufferedData() {
        PooledBuffer lease = pool.acquire(256 * BS);
        ScsiResult good = ScsiResult.goodWithBuffer(lease, 256 * BS);
        ScsiResult cc = good.withStatus(ScsiResult.CHECK_CONDITION, new byte[18]);
        assertSame(lease, cc.pooledDataIn());
        assertTrue(cc.hasDataIn());
        assertEquals(256 * BS, cc.dataInLength());
        assertSame(lease, cc.withTransferLength(5).pooledDataIn());
    }
}
