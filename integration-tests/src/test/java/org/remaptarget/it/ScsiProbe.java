package org.remaptarget.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Map;
import org.remaptarget.target.testing.TestInitiator;

/**
 * Raw SCSI commands no packaged client sends (READ DEFECT DATA, a READ whose sense INFORMATION field we inspect),
 * through the hand-written test initiator of target-server's test-jar: one iSCSI session per call, over TCP.
 */
final class ScsiProbe implements AutoCloseable {
    private static final int TIMEOUT_MILLIS = 10_000;
    private final TestInitiator initiator;

    private ScsiProbe(TestInitiator initiator) {
        this.initiator = initiator;
    }

    /** Logs in to {@code iqn} at {@code portal} and clears the power-on unit attention of LUN {@code lun}. */
    static ScsiProbe connect(InetSocketAddress portal, String iqn, long lun) throws IOException {
        TestInitiator t = new TestInitiator(portal);
        int status = t.login("iqn.2026-11.org.remaptarget:probe", 0x23d000000001L, iqn, Map.of()).statusClass();
        if (status != 0) {
            t.close();
            throw new IOException("login to " + iqn + " failed with status class " + status);
        }
        ScsiProbe p = new ScsiProbe(t);
        for (int i = 0; i < 4 && p.testUnitReady(lun).status() != 0; i++) {
            // unit attentions (power on, reported LUNs changed) are consumed here
        }
        return p;
    }

    TestInitiator.Reply testUnitReady(long lun) throws IOException {
        return initiator.execute(lun, TestInitiator.testUnitReady(), 0, null, TIMEOUT_MILLIS);
    }

    /** The grown defect list by READ DEFECT DATA (12), long block format, ascending as the target returns it. */
    long[] grownDefects(long lun) throws IOException {
        byte[] cdb = new byte[12];
        cdb[0] = (byte) 0xb7;
        cdb[1] = 0x08 | 0x03;                  // REQ_GLIST, long block format
        int alloc = 1 << 20;
        ByteBuffer.wrap(cdb).putInt(6, alloc);
        TestInitiator.Reply r = initiator.execute(lun, cdb, alloc, null, TIMEOUT_MILLIS);
        if (r.status() != 0) {
            throw new IOException("READ DEFECT DATA failed: status " + r.status() + " sense " + r.senseCode());
        }
        ByteBuffer b = ByteBuffer.wrap(r.data());
        if ((b.get(1) & 0x08) == 0 || (b.get(1) & 0x07) != 3) {
            throw new IOException("READ DEFECT DATA: no grown list in long block format (byte 1 = "
                    + Integer.toHexString(b.get(1) & 0xff) + ")");
        }
        int len = b.getInt(4);
        long[] out = new long[len / 8];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.getLong(8 + i * 8);
        }
        return out;
    }

    /** LOG SENSE of {@code page} (subpage 0), cumulative values. */
    TestInitiator.Reply logSense(long lun, int page) throws IOException {
        byte[] cdb = new byte[10];
        cdb[0] = 0x4d;
        cdb[2] = (byte) (0x40 | (page & 0x3f));
        ByteBuffer.wrap(cdb).putShort(7, (short) 4096);
        return initiator.execute(lun, cdb, 4096, null, TIMEOUT_MILLIS);
    }

    /** READ (10) of {@code blocks} 512-byte blocks at {@code lba}. */
    TestInitiator.Reply read(long lun, long lba, int blocks) throws IOException {
        return initiator.execute(lun, TestInitiator.read10(lba, blocks), blocks * 512, null, TIMEOUT_MILLIS);
    }

    /** The INFORMATION field of fixed-format sense (VALID set), or -1. */
    static long information(byte[] sense) {
        if (sense.length >= 7 && (sense[0] & 0x7f) == 0x70 && (sense[0] & 0x80) != 0) {
            return ByteBuffer.wrap(sense).getInt(3) & 0xffffffffL;
        }
        if (sense.length >= 8 && (sense[0] & 0x7f) == 0x72) {
            for (int off = 8; off + 12 <= sense.length; off += 2 + (sense[off + 1] & 0xff)) {
                if (sense[off] == 0) {
                    return ByteBuffer.wrap(sense).getLong(off + 4);
                }
            }
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        initiator.close();
    }
}
