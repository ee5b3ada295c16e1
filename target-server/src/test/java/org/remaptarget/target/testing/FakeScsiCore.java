package org.remaptarget.target.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import org.remaptarget.remap.device.BlockDevice;
import org.remaptarget.target.scsi.Nexus;
import org.remaptarget.target.scsi.ScsiCore;
import org.remaptarget.target.scsi.ScsiResult;
import org.remaptarget.target.scsi.ScsiTask;
import org.remaptarget.target.scsi.TaskManagementFunction;
import org.remaptarget.target.scsi.TmfResponse;

/**
 * Test-only SCSI core over one block device at LUN 0: enough of SPC/SBC (INQUIRY, READ CAPACITY, TEST UNIT READY,
 * REPORT LUNS, READ/WRITE 10/16, MODE SENSE, SYNCHRONIZE CACHE, REQUEST SENSE) to drive the transport with real
 * initiators. Executes on the given executor; a {@code gate} can hold execution to test aborts.
 */
public final class FakeScsiCore implements ScsiCore {
    private final BlockDevice device;
    private final ExecutorService executor;
    private final Set<ScsiTask> inFlight = ConcurrentHashMap.newKeySet();
    private volatile java.util.concurrent.CountDownLatch gate;

    public FakeScsiCore(BlockDevice device, ExecutorService executor) {
        this.device = device;
        this.executor = executor;
    }

    /** Holds every task before execution until the returned latch is counted down. */
    public java.util.concurrent.CountDownLatch hold() {
        java.util.concurrent.CountDownLatch l = new java.util.concurrent.CountDownLatch(1);
        gate = l;
        return l;
    }

    public void release() {
        java.util.concurrent.CountDownLatch l = gate;
        gate = null;
        if (l != null) {
            l.countDown();
        }
    }

    public int inFlight() {
        return inFlight.size();
    }

    @Override
    public void submit(ScsiTask task) {
        inFlight.add(task);
        executor.execute(() -> {
            try {
                java.util.concurrent.CountDownLatch g = gate;
                if (g != null) {
                    g.await(10, TimeUnit.SECONDS);
                }
                if (task.isAborted()) {
                    task.complete(ScsiResult.abortedTask());
                    return;
                }
                task.complete(execute(task));
            } catch (Exception e) {
                task.complete(ScsiResult.checkCondition(sense(0x04, 0x44, 0x00)));
            } finally {
                inFlight.remove(task);
            }
        });
    }

    @Override
    public TmfResponse taskManagement(Nexus nexus, TaskManagementFunction function, long lun, long referencedTag) {
        switch (function) {
            case ABORT_TASK -> {
                boolean found = false;
                for (ScsiTask t : List.copyOf(inFlight)) {
                    if (t.nexus().equals(nexus) && t.tag() == referencedTag) {
                        t.abort();
                        found = true;
                    }
                }
                waitFor(nexus, referencedTag);
                return found ? TmfResponse.FUNCTION_COMPLETE : TmfResponse.TASK_DOES_NOT_EXIST;
            }
            case ABORT_TASK_SET, CLEAR_TASK_SET, LOGICAL_UNIT_RESET, TARGET_WARM_RESET, TARGET_COLD_RESET -> {
                if (lun != 0 && function != TaskManagementFunction.TARGET_WARM_RESET
                        && function != TaskManagementFunction.TARGET_COLD_RESET) {
                    return TmfResponse.LUN_DOES_NOT_EXIST;
                }
                boolean mine = function == TaskManagementFunction.ABORT_TASK_SET;
                for (ScsiTask t : List.copyOf(inFlight)) {
                    if (!mine || t.nexus().equals(nexus)) {
                        t.abort();
                    }
                }
                waitFor(mine ? nexus : null, -1);
                return TmfResponse.FUNCTION_COMPLETE;
            }
            default -> {
                return TmfResponse.FUNCTION_NOT_SUPPORTED;
            }
        }
    }

    private void waitFor(Nexus nexus, long tag) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        release();
        while (System.nanoTime() < deadline) {
            boolean busy = false;
            for (ScsiTask t : inFlight) {
                if (t.isAborted() && (nexus == null || t.nexus().equals(nexus)) && (tag < 0 || t.tag() == tag)) {
                    busy = true;
                }
            }
            if (!busy) {
                return;
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private final java.util.List<Nexus> lost = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Every nexus reported lost, in order. */
    public java.util.List<Nexus> lostNexuses() {
        return java.util.List.copyOf(lost);
    }

    @Override
    public void nexusLost(Nexus nexus) {
        lost.add(nexus);
        for (ScsiTask t : List.copyOf(inFlight)) {
            if (t.nexus().equals(nexus)) {
                t.abort();
            }
        }
    }

    @Override
    public List<Long> luns(Nexus nexus) {
        return List.of(0L);
    }

    private ScsiResult execute(ScsiTask t) throws IOException {
        byte[] c = t.cdb();
        if (t.lun() != 0 && t.opcode() != 0xa0 && t.opcode() != 0x12) {
            return ScsiResult.checkCondition(sense(0x05, 0x25, 0x00));
        }
        int bs = device.blockSize();
        switch (t.opcode()) {
            case 0x00, 0x35, 0x91 -> {
                return ScsiResult.good(); // TEST UNIT READY, SYNCHRONIZE CACHE 10/16
            }
            case 0x03 -> {
                byte[] s = sense(0, 0, 0);
                return ScsiResult.goodWithData(s, Math.min(s.length, c[4] & 0xff)).withTransferLength(c[4] & 0xff);
            }
            case 0x12 -> {
                return inquiry(t, c);
            }
            case 0x1a, 0x5a -> {
                boolean ten = t.opcode() == 0x5a;
                int alloc = ten ? u16(c, 7) : c[4] & 0xff;
                byte[] d = ten ? new byte[8] : new byte[4];
                if (ten) {
                    d[1] = 6;
                } else {
                    d[0] = 3;
                }
                return ScsiResult.goodWithData(d, Math.min(d.length, alloc)).withTransferLength(
                        Math.min(d.length, alloc));
            }
            case 0x25 -> {
                byte[] d = ByteBuffer.allocate(8).putInt((int) Math.min(device.blockCount() - 1, 0xffffffffL))
                        .putInt(bs).array();
                return ScsiResult.goodWithData(d, 8);
            }
            case 0x9e -> {
                if ((c[1] & 0x1f) != 0x10) {
                    return ScsiResult.checkCondition(sense(0x05, 0x24, 0x00));
                }
                int alloc = (int) u32(c, 10);
                byte[] d = ByteBuffer.allocate(32).putLong(device.blockCount() - 1).putInt(bs).array();
                int n = Math.min(32, alloc);
                return ScsiResult.goodWithData(d, n).withTransferLength(n);
            }
            case 0xa0 -> {
                int alloc = (int) u32(c, 6);
                byte[] d = new byte[16];
                d[3] = 8;
                int n = Math.min(16, alloc);
                return ScsiResult.goodWithData(d, n).withTransferLength(n);
            }
            case 0x28, 0x88 -> {
                long lba = t.opcode() == 0x28 ? u32(c, 2) : ByteBuffer.wrap(c, 2, 8).getLong();
                long blocks = t.opcode() == 0x28 ? u16(c, 7) : u32(c, 10);
                if (lba + blocks > device.blockCount()) {
                    return ScsiResult.checkCondition(sense(0x05, 0x21, 0x00));
                }
                byte[] d = new byte[(int) (blocks * bs)];
                device.read(lba, ByteBuffer.wrap(d));
                return ScsiResult.goodWithData(d, d.length);
            }
            case 0x2a, 0x8a -> {
                long lba = t.opcode() == 0x2a ? u32(c, 2) : ByteBuffer.wrap(c, 2, 8).getLong();
                long blocks = t.opcode() == 0x2a ? u16(c, 7) : u32(c, 10);
                long bytes = blocks * bs;
                if (lba + blocks > device.blockCount()) {
                    return ScsiResult.checkCondition(sense(0x05, 0x21, 0x00));
                }
                // EDTL < SCSI transfer length: write only the whole blocks received (libiscsi 1.19 expectation)
                int whole = (int) Math.min(bytes, (long) (t.dataOutLength() / bs) * bs);
                if (whole > 0) {
                    device.write(lba, ByteBuffer.wrap(t.dataOut(), 0, whole), false);
                }
                return ScsiResult.goodTransferred(bytes);
            }
            default -> {
                return ScsiResult.checkCondition(sense(0x05, 0x20, 0x00));
            }
        }
    }

    private ScsiResult inquiry(ScsiTask t, byte[] c) {
        int alloc = u16(c, 3);
        byte[] d;
        if ((c[1] & 1) == 0) {
            d = new byte[36];
            d[0] = (byte) (t.lun() == 0 ? 0x00 : 0x7f);
            d[2] = 0x06;
            d[3] = 0x02;
            d[4] = 31;
            d[7] = 0x02;
            System.arraycopy("REMAPTGT".getBytes(StandardCharsets.US_ASCII), 0, d, 8, 8);
            System.arraycopy("FAKE CORE       ".getBytes(StandardCharsets.US_ASCII), 0, d, 16, 16);
            System.arraycopy("0001".getBytes(StandardCharsets.US_ASCII), 0, d, 32, 4);
        } else if ((c[2] & 0xff) == 0x00) {
            d = new byte[] {0, 0, 0, 2, 0x00, (byte) 0x80};
        } else if ((c[2] & 0xff) == 0x80) {
            d = new byte[] {0, (byte) 0x80, 0, 4, '0', '0', '0', '1'};
        } else {
            return ScsiResult.checkCondition(sense(0x05, 0x24, 0x00));
        }
        int n = Math.min(d.length, alloc);
        return ScsiResult.goodWithData(d, n).withTransferLength(n);
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
    }

    private static long u32(byte[] b, int at) {
        return ((long) (b[at] & 0xff) << 24) | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    /** Fixed-format sense (test helper only; the real core builds sense in one place). */
    public static byte[] sense(int key, int asc, int ascq) {
        byte[] s = new byte[18];
        s[0] = 0x70;
        s[2] = (byte) key;
        s[7] = 10;
        s[12] = (byte) asc;
        s[13] = (byte) ascq;
        return s;
    }
}
