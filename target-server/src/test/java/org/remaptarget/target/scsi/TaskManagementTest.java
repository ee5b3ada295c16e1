package org.remaptarget.target.scsi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.remaptarget.target.scsi.Harness.assertSense;
import static org.remaptarget.target.scsi.Harness.cdb;
import static org.remaptarget.target.scsi.Harness.rw10;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.remaptarget.remap.device.BlockDevice;
import org.remaptarget.remap.device.MemoryBlockDevice;
import org.remaptarget.target.backend.DeviceBackend;
import org.remaptarget.target.lun.LogicalUnit;
import org.remaptarget.target.lun.LunSettings;

/** Task set ordering and task management, with real threads and a device whose reads wait at a gate. */
class TaskManagementTest {
    private static final long WAIT_S = 10;

    /** Reads of LBA 0 block until the gate opens. */
    private static final class GatedDevice implements BlockDevice {
        final MemoryBlockDevice inner = new MemoryBlockDevice(512, 1024);
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch gate = new CountDownLatch(1);

        @Override
        public int blockSize() {
            return 512;
        }

        @Override
        public long blockCount() {
            return 1024;
        }

        @Override
        public void read(long lba, ByteBuffer dst) throws IOException {
            if (lba == 0) {
                entered.countDown();
                try {
                    if (!gate.await(WAIT_S, TimeUnit.SECONDS)) {
                        throw new IOException("gate never opened");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
            inner.read(lba, dst);
        }

        @Override
        public void write(long lba, ByteBuffer src, boolean fua) {
            inner.write(lba, src, fua);
        }

        @Override
        public void flush() {
        }

        @Override
        public void discard(long lba, long blocks) {
            inner.discard(lba, blocks);
        }

        @Override
        public void close() {
        }
    }

    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final GatedDevice device = new GatedDevice();
    private final TargetCore core = new TargetCore(Harness.IQN,
            List.of(new LogicalUnit(LunSettings.defaults(Harness.IQN, 0), new DeviceBackend(device))), pool);
    private final Nexus a = new Nexus("iqn.x:a", 1, Harness.IQN, 1, 1);
    private final Nexus b = new Nexus("iqn.x:b", 2, Harness.IQN, 1, 2);
    private final List<String> order = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        device.gate.countDown();
        pool.shutdown();
        assertTrue(pool.awaitTermination(WAIT_S, TimeUnit.SECONDS));
    }

    private ScsiTask submit(Nexus n, long tag, byte[] cdb, TaskAttribute attr, AtomicReference<ScsiResult> out,
                            CountDownLatch done) {
        ScsiTask t = new ScsiTask(n, 0, cdb, attr, tag, 512, true, false, null, 0, r -> {
            order.add(Long.toString(tag));
            out.set(r);
            done.countDown();
        });
        core.submit(t);
        return t;
    }

    private ScsiTask blockedRead(Nexus n, long tag, AtomicReference<ScsiResult> out, CountDownLatch done)
            throws InterruptedException {
        ScsiTask t = submit(n, tag, rw10(0x28, 0, 0, 1), TaskAttribute.SIMPLE, out, done);
        assertTrue(device.entered.await(WAIT_S, TimeUnit.SECONDS));
        return t;
    }

    private void openGateLater() {
        Thread opener = new Thread(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            device.gate.countDown();
        });
        opener.setDaemon(true);
        opener.start();
    }

    @Test
    void abortTaskReturnsOnlyAfterTheRunningTaskHasCompletedAsAborted() throws Exception {
        AtomicReference<ScsiResult> r = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        blockedRead(a, 7, r, done);
        openGateLater();
        assertEquals(TmfResponse.FUNCTION_COMPLETE, core.taskManagement(a, TaskManagementFunction.ABORT_TASK, 0, 7));
        assertEquals(0, done.getCount(), "task completed before the TMF returned");
        assertTrue(r.get().aborted());
    }

    @Test
    void abortTaskOfAnUnknownTagIsTaskDoesNotExist() {
        assertEquals(TmfResponse.TASK_DOES_NOT_EXIST,
                core.taskManagement(a, TaskManagementFunction.ABORT_TASK, 0, 12345));
    }

    @Test
    void abortTaskDoesNotTouchAnotherNexussTaskWithTheSameTag() throws Exception {
        AtomicReference<ScsiResult> r = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        blockedRead(b, 7, r, done);
        assertEquals(TmfResponse.TASK_DOES_NOT_EXIST,
                core.taskManagement(a, TaskManagementFunction.ABORT_TASK, 0, 7));
        device.gate.countDown();
        assertTrue(done.await(WAIT_S, TimeUnit.SECONDS));
        assertFalse(r.get().aborted());
    }

    @Test
    void anOrderedTaskWaitsForEarlierSimpleTasks() throws Exception {
        AtomicReference<ScsiResult> r1 = new AtomicReference<>();
        AtomicReference<ScsiResult> r2 = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(2);
        blockedRead(a, 1, r1, done);
        submit(a, 2, cdb(0, 0, 0, 0, 0, 0), TaskAttribute.ORDERED, r2, done);
        Thread.sleep(50);
        assertNull(r2.get(), "ordered task ran before the earlier simple task finished");
        device.gate.countDown();
        assertTrue(done.await(WAIT_S, TimeUnit.SECONDS));
        assertEquals(List.of("1", "2"), order);
    }

    @Test
    void aSimpleTaskBehindAnOrderedTaskWaitsForIt() throws Exception {
        AtomicReference<ScsiResult> r1 = new AtomicReference<>();
        AtomicReference<ScsiResult> r2 = new AtomicReference<>();
        AtomicReference<ScsiResult> r3 = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(3);
        blockedRead(a, 1, r1, done);
        submit(a, 2, cdb(0, 0, 0, 0, 0, 0), TaskAttribute.ORDERED, r2, done);
        submit(a, 3, cdb(0, 0, 0, 0, 0, 0), TaskAttribute.SIMPLE, r3, done);
        Thread.sleep(50);
        assertNull(r3.get());
        device.gate.countDown();
        assertTrue(done.await(WAIT_S, TimeUnit.SECONDS));
        assertEquals(List.of("1", "2", "3"), order);
    }

    @Test
    void abortTaskSetCompletesQueuedTasksAsAbortedAtOnce() throws Exception {
        AtomicReference<ScsiResult> r1 = new AtomicReference<>();
        AtomicReference<ScsiResult> r2 = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(2);
        blockedRead(a, 1, r1, done);
        submit(a, 2, cdb(0, 0, 0, 0, 0, 0), TaskAttribute.ORDERED, r2, done);
        openGateLater();
        assertEquals(TmfResponse.FUNCTION_COMPLETE,
                core.taskManagement(a, TaskManagementFunction.ABORT_TASK_SET, 0, 0));
        assertTrue(done.await(WAIT_S, TimeUnit.SECONDS));
        assertTrue(r1.get().aborted());
        assertTrue(r2.get().aborted());
    }

    @Test
    void clearTaskSetTellsTheOtherNexusItsCommandsWereCleared() throws Exception {
        AtomicReference<ScsiResult> r1 = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        blockedRead(b, 1, r1, done);
        openGateLater();
        assertEquals(TmfResponse.FUNCTION_COMPLETE,
                core.taskManagement(a, TaskManagementFunction.CLEAR_TASK_SET, 0, 0));
        assertTrue(r1.get().aborted());
        AtomicReference<ScsiResult> r2 = new AtomicReference<>();
        CountDownLatch done2 = new CountDownLatch(1);
        submit(b, 2, cdb(0, 0, 0, 0, 0, 0), TaskAttribute.SIMPLE, r2, done2);
        assertTrue(done2.await(WAIT_S, TimeUnit.SECONDS));
        assertSense(r2.get(), SenseReason.COMMANDS_CLEARED_BY_ANOTHER_INITIATOR);
    }

    @Test
    void nexusLossAbortsThatNexussTasks() throws Exception {
        AtomicReference<ScsiResult> r1 = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        blockedRead(a, 1, r1, done);
        openGateLater();
        core.nexusLost(a);
        assertEquals(0, done.getCount());
        assertTrue(r1.get().aborted());
    }
}
