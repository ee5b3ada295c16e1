package org.remaptarget.target.scsi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.remaptarget.target.backend.DeviceBackend;
import org.remaptarget.target.lun.LogicalUnit;
import org.remaptarget.target.lun.LunSettings;

/**
 * A target with LUN 0 (and optionally more) over {@link RecordingDevice}s, driven at the {@link ScsiTask} level.
 * The default executor runs commands on the caller's thread, so every call returns its result synchronously.
 */
final class Harness {
    static final String IQN = "iqn.2026-11.org.remaptarget:test";
    static final int BS = 512;
    static final long BLOCKS = 4096;

    final Nexus a = new Nexus("iqn.1994-05.com.example:a", 0x23d000000001L, IQN, 1, 1);
    final Nexus b = new Nexus("iqn.1994-05.com.example:b", 0x23d000000002L, IQN, 1, 2);
    final RecordingDevice device;
    /** What the backend reports as its grown defect list (null: no list kept). */
    volatile long[] grownDefects;
    /** What the backend's health probe answers (failure prediction). */
    final java.util.concurrent.atomic.AtomicBoolean failurePredicted = new java.util.concurrent.atomic.AtomicBoolean();
    final LogicalUnit lu;
    final TargetCore core;
    private long tags;

    Harness() {
        this(LunSettings.defaults(IQN, 0), Runnable::run);
    }

    Harness(LunSettings settings) {
        this(settings, Runnable::run);
    }

    Harness(LunSettings settings, Executor executor) {
        this(settings, executor, new RecordingDevice(BS, BLOCKS), new org.remaptarget.target.lun.SanitizeState());
    }

    /** A logical unit over {@code device} with {@code sanitize} as its sanitize state: a restart reuses both. */
    Harness(LunSettings settings, Executor executor, RecordingDevice device,
            org.remaptarget.target.lun.SanitizeState sanitize) {
        this.device = device;
        lu = new LogicalUnit(settings, new DeviceBackend(device, new org.remaptarget.target.backend.BackendHealth() {
            @Override
            public boolean failurePredicted() {
                return failurePredicted.get();
            }

            @Override
            public long[] grownDefects() {
                return grownDefects;
            }
        }), new org.remaptarget.target.lun.MemoryImageStore(), sanitize);
        List<LogicalUnit> luns = new ArrayList<>();
        luns.add(lu);
        core = new TargetCore(IQN, luns, executor);
    }

    ScsiResult run(Nexus n, long lun, byte[] cdb, byte[] out) {
        AtomicReference<ScsiResult> r = new AtomicReference<>();
        ScsiTask t = task(n, lun, cdb, out, TaskAttribute.SIMPLE, r::set);
        core.submit(t);
        assertNotNull(r.get(), "command did not complete synchronously");
        return r.get();
    }

    ScsiTask task(Nexus n, long lun, byte[] cdb, byte[] out, TaskAttribute attr,
                  java.util.function.Consumer<ScsiResult> done) {
        int len = out == null ? 0 : out.length;
        return new ScsiTask(n, lun, cdb, attr, ++tags, out == null ? 65536 : len, out == null, out != null, out,
                len, done);
    }

    ScsiResult run(byte[] cdb) {
        return run(a, 0, cdb, null);
    }

    ScsiResult run(byte[] cdb, byte[] out) {
        return run(a, 0, cdb, out);
    }

    // ---- CDB builders ----

    static byte[] cdb(int... bytes) {
        byte[] c = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            c[i] = (byte) bytes[i];
        }
        return c;
    }

    static byte[] rw10(int op, int flags, long lba, int blocks) {
        byte[] c = new byte[10];
        c[0] = (byte) op;
        c[1] = (byte) flags;
        put(c, 2, lba, 4);
        put(c, 7, blocks, 2);
        return c;
    }

    static byte[] rw12(int op, int flags, long lba, long blocks) {
        byte[] c = new byte[12];
        c[0] = (byte) op;
        c[1] = (byte) flags;
        put(c, 2, lba, 4);
        put(c, 6, blocks, 4);
        return c;
    }

    static byte[] rw16(int op, int flags, long lba, long blocks) {
        byte[] c = new byte[16];
        c[0] = (byte) op;
        c[1] = (byte) flags;
        put(c, 2, lba, 8);
        put(c, 10, blocks, 4);
        return c;
    }

    static void put(byte[] c, int off, long v, int len) {
        for (int i = len - 1; i >= 0; i--) {
            c[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    static byte[] pattern(int bytes, int seed) {
        byte[] d = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            d[i] = (byte) (i * 31 + seed);
        }
        return d;
    }

    // ---- result checks ----

    static void assertGood(ScsiResult r) {
        assertEquals(ScsiResult.GOOD, r.status(), () -> "expected GOOD, got " + describe(r));
    }

    static void assertSense(ScsiResult r, SenseReason reason) {
        assertEquals(ScsiResult.CHECK_CONDITION, r.status(), () -> "expected CHECK CONDITION, got " + describe(r));
        byte[] s = r.sense();
        int key;
        int asc;
        int ascq;
        if ((s[0] & 0x7f) == 0x72) {
            key = s[1] & 0x0f;
            asc = s[2] & 0xff;
            ascq = s[3] & 0xff;
        } else {
            key = s[2] & 0x0f;
            asc = s[12] & 0xff;
            ascq = s[13] & 0xff;
        }
        assertEquals(reason.key(), key, "sense key");
        assertEquals(reason.asc(), asc, "ASC");
        assertEquals(reason.ascq(), ascq, "ASCQ");
    }

    /** Fixed-format field pointer: [C/D, BPV, bit, pointer]. */
    static int[] fieldPointer(ScsiResult r) {
        byte[] s = r.sense();
        assertEquals(0x70, s[0] & 0x7f, "fixed format expected");
        assertTrue((s[15] & 0x80) != 0, "SKSV set");
        return new int[] {(s[15] >>> 6) & 1, (s[15] >>> 3) & 1, s[15] & 7, ((s[16] & 0xff) << 8) | (s[17] & 0xff)};
    }

    /** The INFORMATION field of fixed-format sense (VALID required). */
    static long information(ScsiResult r) {
        byte[] s = r.sense();
        assertTrue((s[0] & 0x80) != 0, "VALID bit");
        return ((s[3] & 0xffL) << 24) | ((s[4] & 0xff) << 16) | ((s[5] & 0xff) << 8) | (s[6] & 0xff);
    }

    static long u32(byte[] d, int off) {
        return ((d[off] & 0xffL) << 24) | ((d[off + 1] & 0xff) << 16) | ((d[off + 2] & 0xff) << 8) | (d[off + 3] & 0xff);
    }

    static long u64(byte[] d, int off) {
        return (u32(d, off) << 32) | u32(d, off + 4);
    }

    static byte[] data(ScsiResult r) {
        byte[] d = new byte[r.dataInLength()];
        if (r.hasDataIn()) {
            r.dataInSlice(0, d.length).get(d);
        }
        return d;
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
