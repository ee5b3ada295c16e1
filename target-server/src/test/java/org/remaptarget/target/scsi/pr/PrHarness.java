package org.remaptarget.target.scsi.pr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.remaptarget.remap.device.MemoryBlockDevice;
import org.remaptarget.target.backend.DeviceBackend;
import org.remaptarget.target.lun.ImageStore;
import org.remaptarget.target.lun.LogicalUnit;
import org.remaptarget.target.lun.LunSettings;
import org.remaptarget.target.lun.MemoryImageStore;
import org.remaptarget.target.scsi.Nexus;
import org.remaptarget.target.scsi.ScsiResult;
import org.remaptarget.target.scsi.ScsiTask;
import org.remaptarget.target.scsi.SenseReason;
import org.remaptarget.target.scsi.TargetCore;
import org.remaptarget.target.scsi.TaskAttribute;

/**
 * A one-LUN target over a memory device driven at the {@link ScsiTask} level, with three I_T nexuses and builders
 * for PERSISTENT RESERVE IN/OUT. Commands run on the caller's thread, so every call returns its result.
 */
final class PrHarness {
    static final String IQN = "iqn.2026-11.org.remaptarget:prtest";
    static final int BS = 512;

    final Nexus a = new Nexus("iqn.1994-05.com.example:a", 0x23d000000001L, IQN, 1, 1);
    final Nexus b = new Nexus("iqn.1994-05.com.example:b", 0x23d000000002L, IQN, 1, 2);
    final Nexus c = new Nexus("iqn.1994-05.com.example:c", 0x23d000000003L, IQN, 1, 3);
    final MemoryBlockDevice device = new MemoryBlockDevice(BS, 1024);
    final ImageStore store;
    final LogicalUnit lu;
    final TargetCore core;
    private long tags;

    PrHarness() {
        this(new MemoryImageStore());
    }

    PrHarness(ImageStore store) {
        this(store, Runnable::run);
    }

    PrHarness(ImageStore store, java.util.concurrent.Executor executor) {
        this.store = store;
        lu = new LogicalUnit(LunSettings.defaults(IQN, 0), new DeviceBackend(device), store);
        List<LogicalUnit> luns = new ArrayList<>();
        luns.add(lu);
        core = new TargetCore(IQN, luns, executor);
    }

    /** The same store behind a new logical unit and target: a restart. */
    PrHarness restart() {
        return new PrHarness(store);
    }

    ScsiResult run(Nexus n, byte[] cdb, byte[] out) {
        AtomicReference<ScsiResult> r = submit(n, cdb, out, TaskAttribute.SIMPLE);
        assertNotNull(r.get(), "command did not complete synchronously");
        return r.get();
    }

    /** Submits a command; its result appears in the returned reference when it completes. */
    AtomicReference<ScsiResult> submit(Nexus n, byte[] cdb, byte[] out, TaskAttribute attribute) {
        AtomicReference<ScsiResult> r = new AtomicReference<>();
        int len = out == null ? 0 : out.length;
        ScsiTask t = new ScsiTask(n, 0, cdb, attribute, ++tags, out == null ? 65536 : len, out == null,
                out != null, out, len, r::set);
        core.submit(t);
        return r;
    }

    // ---- PERSISTENT RESERVE IN ----

    static byte[] prin(int sa, int alloc) {
        return new byte[] {0x5E, (byte) sa, 0, 0, 0, 0, 0, (byte) (alloc >>> 8), (byte) alloc, 0};
    }

    byte[] readIn(Nexus n, int sa) {
        ScsiResult r = run(n, prin(sa, 8192), null);
        assertGood(r);
        return data(r);
    }

    List<Long> keys(Nexus n) {
        byte[] d = readIn(n, 0);
        List<Long> k = new ArrayList<>();
        for (int p = 8; p + 8 <= d.length; p += 8) {
            k.add(u64(d, p));
        }
        return k;
    }

    long generation(Nexus n) {
        return u32(readIn(n, 0), 0);
    }

    /** READ RESERVATION: {key, type} or null when nothing is reserved. */
    long[] reservation(Nexus n) {
        byte[] d = readIn(n, 1);
        if (u32(d, 4) == 0) {
            return null;
        }
        return new long[] {u64(d, 8), d[21] & 0x0f};
    }

    // ---- PERSISTENT RESERVE OUT ----

    static byte[] proutCdb(int sa, int type, int length) {
        return new byte[] {0x5F, (byte) sa, (byte) type, 0, 0, (byte) (length >>> 24), (byte) (length >>> 16),
            (byte) (length >>> 8), (byte) length, 0};
    }

    static byte[] params(long key, long saKey, int flags) {
        byte[] p = new byte[24];
        put(p, 0, key, 8);
        put(p, 8, saKey, 8);
        p[20] = (byte) flags;
        return p;
    }

    ScsiResult prout(Nexus n, int sa, int type, long key, long saKey, int flags) {
        return run(n, proutCdb(sa, type, 24), params(key, saKey, flags));
    }

    ScsiResult register(Nexus n, long key, long saKey) {
        return prout(n, 0, 0, key, saKey, 0);
    }

    ScsiResult registerIgnore(Nexus n, long saKey) {
        return prout(n, 6, 0, 0, saKey, 0);
    }

    ScsiResult reserve(Nexus n, long key, int type) {
        return prout(n, 1, type, key, 0, 0);
    }

    ScsiResult release(Nexus n, long key, int type) {
        return prout(n, 2, type, key, 0, 0);
    }

    ScsiResult clear(Nexus n, long key) {
        return prout(n, 3, 0, key, 0, 0);
    }

    ScsiResult preempt(Nexus n, long key, long saKey, int type, boolean abort) {
        return prout(n, abort ? 5 : 4, type, key, saKey, 0);
    }

    // ---- other commands ----

    ScsiResult read(Nexus n) {
        return run(n, new byte[] {0x28, 0, 0, 0, 0, 1, 0, 0, 1, 0}, null);
    }

    ScsiResult write(Nexus n) {
        return run(n, new byte[] {0x2A, 0, 0, 0, 0, 1, 0, 0, 1, 0}, new byte[BS]);
    }

    ScsiResult tur(Nexus n) {
        return run(n, new byte[6], null);
    }

    // ---- helpers ----

    static void put(byte[] c, int off, long v, int len) {
        for (int i = len - 1; i >= 0; i--) {
            c[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    static long u32(byte[] d, int off) {
        return ((d[off] & 0xffL) << 24) | ((d[off + 1] & 0xff) << 16) | ((d[off + 2] & 0xff) << 8) | (d[off + 3] & 0xff);
    }

    static long u64(byte[] d, int off) {
        return (u32(d, off) << 32) | u32(d, off + 4);
    }

    static byte[] data(ScsiResult r) {
        byte[] d = new byte[r.dataInLength()];
        if (r.dataIn() != null) {
            System.arraycopy(r.dataIn(), 0, d, 0, d.length);
        }
        return d;
    }

    static void assertGood(ScsiResult r) {
        assertEquals(ScsiResult.GOOD, r.status(), () -> "expected GOOD, got " + describe(r));
    }

    static void assertConflict(ScsiResult r) {
        assertEquals(ScsiResult.RESERVATION_CONFLICT, r.status(),
                () -> "expected RESERVATION CONFLICT, got " + describe(r));
    }

    static void assertSense(ScsiResult r, SenseReason reason) {
        assertEquals(ScsiResult.CHECK_CONDITION, r.status(), () -> "expected CHECK CONDITION, got " + describe(r));
        byte[] s = r.sense();
        assertEquals(reason.key(), s[2] & 0x0f, "sense key");
        assertEquals(reason.asc(), s[12] & 0xff, "ASC");
        assertEquals(reason.ascq(), s[13] & 0xff, "ASCQ");
    }

    /** Fixed-format sense-key-specific field: {C/D, BPV, bit, pointer}. */
    static int[] fieldPointer(ScsiResult r) {
        byte[] s = r.sense();
        return new int[] {(s[15] >>> 6) & 1, (s[15] >>> 3) & 1, s[15] & 7, ((s[16] & 0xff) << 8) | (s[17] & 0xff)};
    }

    static String describe(ScsiResult r) {
        StringBuilder sb = new StringBuilder("status 0x" + Integer.toHexString(r.status()));
        if (r.sense() != null) {
            sb.append(" sense");
            for (byte x : r.sense()) {
                sb.append(String.format(" %02x", x));
            }
        }
        return sb.toString();
    }
}
