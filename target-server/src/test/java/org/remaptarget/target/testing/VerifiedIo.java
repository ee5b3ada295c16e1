package org.remaptarget.target.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

import org.remaptarget.target.pdu.DataInPdu;
import org.remaptarget.target.pdu.Lun;
import org.remaptarget.target.pdu.NopInPdu;
import org.remaptarget.target.pdu.NopOutPdu;
import org.remaptarget.target.pdu.Pdu;
import org.remaptarget.target.pdu.ScsiResponsePdu;

/**
 * One test-initiator session doing verified I/O on its own block range: WRITE(10) with immediate data, READ(10)
 * back, compare against what it wrote (a per-session model). Answers keep-alive NOP-Ins. Not thread-safe: one
 * thread drives it.
 */
public final class VerifiedIo implements AutoCloseable {
    public static final int BLOCK = 512;
    private final TestInitiator ini;
    private final long firstLba;
    private final int blocks;
    private final SplittableRandom random;
    private final byte[][] model;
    private long ops;

    /** Logs in to {@code target} and owns LBAs [firstLba, firstLba + blocks). */
    public VerifiedIo(InetSocketAddress portal, String target, String initiatorName, long isid, long firstLba,
                      int blocks, long seed) throws IOException {
        this.ini = new TestInitiator(portal);
        var r = ini.login(initiatorName, isid, target, Map.of("HeaderDigest", "None", "DataDigest", "None"));
        if (r.statusClass() != 0) {
            ini.close();
            throw new IOException("login refused: " + r.statusClass() + "/" + r.statusDetail());
        }
        this.firstLba = firstLba;
        this.blocks = blocks;
        this.random = new SplittableRandom(seed);
        this.model = new byte[blocks][];
    }

    public long ops() {
        return ops;
    }

    public TestInitiator initiator() {
        return ini;
    }

    /**
     * One write of 1..8 blocks at a random place in the range, then a read of a random range compared with the
     * model. Returns null when all matched, else a description of the mismatch.
     */
    public String step() throws IOException {
        int n = 1 + random.nextInt(8);
        int at = random.nextInt(blocks - n + 1);
        byte[] data = new byte[n * BLOCK];
        random.nextBytes(data);
        int status = command(TestInitiator.write10(firstLba + at, n), false, data, null);
        if (status != 0) {
            return "write status " + status;
        }
        for (int i = 0; i < n; i++) {
            model[at + i] = Arrays.copyOfRange(data, i * BLOCK, (i + 1) * BLOCK);
        }
        int m = 1 + random.nextInt(8);
        int from = random.nextInt(blocks - m + 1);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        status = command(TestInitiator.read10(firstLba + from, m), true, null, got);
        if (status != 0) {
            return "read status " + status;
        }
        byte[] bytes = got.toByteArray();
        if (bytes.length != m * BLOCK) {
            return "read returned " + bytes.length + " bytes, expected " + m * BLOCK;
        }
        for (int i = 0; i < m; i++) {
            byte[] expect = model[from + i];
            if (expect != null && !Arrays.equals(expect, 0, BLOCK, bytes, i * BLOCK, (i + 1) * BLOCK)) {
                return "data mismatch at LBA " + (firstLba + from + i);
            }
        }
        ops++;
        return null;
    }

    /**
     * Runs a command, retrying it (at most 5 times) after a UNIT ATTENTION or after 5 s without an answer: another
     * initiator's reset (here: a fuzzed task management request) legitimately raises the one and aborts the task
     * silently, and a real initiator retries on both.
     */
    private int command(byte[] cdb, boolean read, byte[] write, ByteArrayOutputStream sink) throws IOException {
        int status = 0;
        for (int attempt = 0; attempt < 6; attempt++) {
            if (sink != null) {
                sink.reset();
            }
            try {
                status = commandOnce(cdb, read, write, sink);
            } catch (java.net.SocketTimeoutException e) {
                // no answer: another initiator's LUN or target reset aborted this task silently (SAM, TAS=0);
                // like a real initiator, give up on it and issue the command again
                status = UNIT_ATTENTION_SEEN;
            }
            if (status != UNIT_ATTENTION_SEEN) {
                return status;
            }
        }
        return 2;
    }

    /** Marker status: CHECK CONDITION with sense key UNIT ATTENTION. */
    private static final int UNIT_ATTENTION_SEEN = 0x1006;

    private int commandOnce(byte[] cdb, boolean read, byte[] write, ByteArrayOutputStream sink) throws IOException {
        int edtl = read ? (cdb[7] << 8 | (cdb[8] & 0xff)) * BLOCK : write.length;
        var cmd = ini.command(cdb, read, write != null, edtl, write, true);
        ini.send(cmd);
        while (true) {
            Pdu p = ini.receive(5_000);
            if (p instanceof NopInPdu nop) {
                if (nop.targetTransferTag() != -1) {
                    ini.send(new NopOutPdu(true, Lun.toField(0), -1, nop.targetTransferTag(), ini.cmdSN,
                            ini.expStatSN, Pdu.NO_BYTES));
                }
                continue;
            }
            if (p instanceof DataInPdu d && d.initiatorTaskTag() == cmd.initiatorTaskTag()) {
                if (sink != null) {
                    sink.write(d.data(), d.dataOffset(), d.dataLength());
                }
                if (d.statusPresent()) {
                    return d.status();
                }
                continue;
            }
            if (p instanceof ScsiResponsePdu s && s.initiatorTaskTag() == cmd.initiatorTaskTag()) {
                byte[] seg = s.data(); // 2-byte SenseLength, then fixed (70h/71h) or descriptor (72h/73h) sense
                if (s.response() == 0 && s.status() == 2 && seg.length >= 5) {
                    int code = seg[2] & 0x7f;
                    int key = code >= 0x72 ? seg[3] & 0x0f : seg[4] & 0x0f;
                    if (key == 6) {
                        return UNIT_ATTENTION_SEEN;
                    }
                }
                return s.response() != 0 ? 0x100 | s.response() : s.status();
            }
            if ((p instanceof DataInPdu d && d.initiatorTaskTag() != cmd.initiatorTaskTag())
                    || (p instanceof ScsiResponsePdu r && r.initiatorTaskTag() != cmd.initiatorTaskTag())) {
                continue; // a late answer to an attempt given up on
            }
            throw new IOException("unexpected " + p);
        }
    }

    /** Closes the socket without logging out (an initiator that vanishes). */
    @Override
    public void close() throws IOException {
        ini.close();
    }
}
