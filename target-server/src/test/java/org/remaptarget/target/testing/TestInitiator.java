package org.remaptarget.target.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

import org.remaptarget.target.pdu.Bhs;
import org.remaptarget.target.pdu.DecodeResult;
import org.remaptarget.target.pdu.InitiatorPdu;
import org.remaptarget.target.pdu.LoginRequestPdu;
import org.remaptarget.target.pdu.LoginResponsePdu;
import org.remaptarget.target.pdu.Lun;
import org.remaptarget.target.pdu.Pdu;
import org.remaptarget.target.pdu.PduDecoder;
import org.remaptarget.target.pdu.PduEncoder;
import org.remaptarget.target.pdu.ScsiCommandPdu;
import org.remaptarget.target.pdu.TargetPdu;

/**
 * A tiny hand-written iSCSI initiator for tests: one blocking socket, our own codec, explicit control of every
 * field so tests can send malformed or out-of-order PDUs.
 */
public final class TestInitiator implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final PduDecoder decoder = new PduDecoder(16 << 20);
    private final ByteBuffer buffer = ByteBuffer.allocate(1 << 20).flip();
    private final Deque<Pdu> pending = new ArrayDeque<>();
    private boolean headerDigest;
    private boolean dataDigest;
    public int cmdSN;
    public int expStatSN;
    private int itt = 0x100;

    public TestInitiator(InetSocketAddress target) throws IOException {
        socket = new Socket(target.getAddress(), target.getPort());
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    public int nextItt() {
        return itt++;
    }

    /** Logs in through the operational stage straight to full feature phase. */
    public LoginResponsePdu login(String initiatorName, long isid, String target, Map<String, String> keys)
            throws IOException {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("InitiatorName", initiatorName);
        all.put("SessionType", target == null ? "Discovery" : "Normal");
        if (target != null) {
            all.put("TargetName", target);
        }
        all.putAll(keys);
        StringBuilder sb = new StringBuilder();
        all.forEach((k, v) -> sb.append(k).append('=').append(v).append('\0'));
        send(new LoginRequestPdu(true, false, 1, 3, 0, 0, isid, 0, 1, 0, cmdSN, expStatSN,
                sb.toString().getBytes(StandardCharsets.UTF_8)));
        LoginResponsePdu r = (LoginResponsePdu) receive(5000);
        if (r.statusClass() == 0) {
            cmdSN = r.expCmdSN();
            expStatSN = r.statSN() + 1;
            String text = new String(r.data(), StandardCharsets.UTF_8);
            headerDigest = text.contains("HeaderDigest=CRC32C");
            dataDigest = text.contains("DataDigest=CRC32C");
            decoder.setDigests(headerDigest, dataDigest);
        }
        return r;
    }

    public void send(InitiatorPdu pdu) throws IOException {
        out.write(PduEncoder.toBytes(pdu, headerDigest, dataDigest));
        out.flush();
    }

    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Receives the next PDU or throws {@link SocketTimeoutException}. */
    public Pdu receive(int timeoutMillis) throws IOException {
        if (!pending.isEmpty()) {
            return pending.poll();
        }
        socket.setSoTimeout(timeoutMillis);
        while (true) {
            DecodeResult r = decoder.decode(buffer);
            if (r instanceof DecodeResult.Decoded d) {
                if (d.pdu() instanceof TargetPdu t && t.advancesStatSN()) {
                    expStatSN = statSN(t) + 1;
                }
                return d.pdu();
            }
            if (r instanceof DecodeResult.Failed f) {
                throw new IOException("bad PDU from target: " + f.failure().rule());
            }
            buffer.compact();
            int n;
            try {
                n = in.read(buffer.array(), buffer.position(), buffer.remaining());
            } finally {
                buffer.flip();
            }
            if (n < 0) {
                throw new java.io.EOFException("target closed the connection");
            }
            buffer.limit(buffer.limit() + n);
        }
    }

    /** Receives a PDU, or returns null when none arrives within the time. */
    public Pdu poll(int timeoutMillis) throws IOException {
        try {
            return receive(timeoutMillis);
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    /** True when the target closed the connection within the time (PDUs still arriving are skipped). */
    public boolean closedWithin(int timeoutMillis) throws IOException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            try {
                receive((int) Math.max(1, deadline - System.currentTimeMillis()));
            } catch (java.io.EOFException | java.net.SocketException e) {
                return true;
            } catch (SocketTimeoutException e) {
                return false;
            }
        }
        return false;
    }

    private static int statSN(TargetPdu t) {
        byte[] h = PduEncoder.toBytes(t, false, false);
        return ByteBuffer.wrap(h).getInt(24);
    }

    /** A SCSI command PDU with the next CmdSN (advanced unless immediate). */
    public ScsiCommandPdu command(byte[] cdb, boolean read, boolean write, int edtl, byte[] immediateData,
                                  boolean finalFlag) {
        ScsiCommandPdu c = new ScsiCommandPdu(false, finalFlag, read, write, 1, Lun.toField(0), nextItt(), edtl,
                cmdSN++, expStatSN, cdb, -1, immediateData == null ? Pdu.NO_BYTES : immediateData);
        return c;
    }

    /**
     * The outcome of one command run by {@link #execute}: SCSI status, sense bytes (empty without), and the
     * Data-In bytes received (trimmed to what arrived).
     */
    public record Reply(int status, byte[] sense, byte[] data) {
        /** Sense key, ASC, ASCQ as {@code KK/AA/QQ} (hex), or "none"; fixed or descriptor format. */
        public String senseCode() {
            if (sense.length < 3) {
                return "none";
            }
            int code = sense[0] & 0x7f;
            if (code == 0x72 || code == 0x73) {
                return String.format("%02X/%02X/%02X", sense[1] & 0x0f, sense[2] & 0xff, sense[3] & 0xff);
            }
            if (sense.length < 14) {
                return "none";
            }
            return String.format("%02X/%02X/%02X", sense[2] & 0x0f, sense[12] & 0xff, sense[13] & 0xff);
        }
    }

    /**
     * Runs one command on {@code lun} and waits for its status: answers R2Ts from {@code out} (null for no
     * Data-Out) in slices of at most 8 KiB, collects Data-In up to {@code inLength}, and skips NOP-In and
     * asynchronous messages. Bounded by {@code timeoutMillis} per PDU.
     */
    public Reply execute(long lun, byte[] cdb, int inLength, byte[] out, int timeoutMillis) throws IOException {
        boolean write = out != null && out.length > 0;
        int edtl = write ? out.length : inLength;
        ScsiCommandPdu c = new ScsiCommandPdu(false, true, inLength > 0, write, 1, Lun.toField(lun), nextItt(), edtl,
                cmdSN++, expStatSN, cdb, -1, Pdu.NO_BYTES);
        send(c);
        byte[] in = new byte[Math.max(0, inLength)];
        int got = 0;
        while (true) {
            Pdu p = receive(timeoutMillis);
            if (p instanceof org.remaptarget.target.pdu.DataInPdu d && d.initiatorTaskTag() == c.initiatorTaskTag()) {
                int n = Math.min(d.dataLength(), in.length - d.bufferOffset());
                System.arraycopy(d.data(), d.dataOffset(), in, d.bufferOffset(), Math.max(0, n));
                got = Math.max(got, d.bufferOffset() + Math.max(0, n));
                if (d.statusPresent()) {
                    return new Reply(d.status(), new byte[0], java.util.Arrays.copyOf(in, got));
                }
            } else if (p instanceof org.remaptarget.target.pdu.R2tPdu r
                    && r.initiatorTaskTag() == c.initiatorTaskTag()) {
                int end = r.bufferOffset() + r.desiredDataTransferLength();
                int dataSN = 0;
                for (int off = r.bufferOffset(); off < end; off += 8192) {
                    int len = Math.min(8192, end - off);
                    send(new org.remaptarget.target.pdu.DataOutPdu(off + len == end, c.lun(), c.initiatorTaskTag(),
                            r.targetTransferTag(), expStatSN, dataSN++, off,
                            java.util.Arrays.copyOfRange(out, off, off + len)));
                }
            } else if (p instanceof org.remaptarget.target.pdu.ScsiResponsePdu r
                    && r.initiatorTaskTag() == c.initiatorTaskTag()) {
                byte[] seg = r.data();
                byte[] sense = seg.length < 2 ? new byte[0]
                        : java.util.Arrays.copyOfRange(seg, 2, 2 + (((seg[0] & 0xff) << 8) | (seg[1] & 0xff)));
                return new Reply(r.status(), sense, java.util.Arrays.copyOf(in, got));
            }
            // NOP-In, asynchronous messages and stray PDUs are skipped
        }
    }

    public static byte[] read10(long lba, int blocks) {
        byte[] cdb = new byte[16];
        cdb[0] = 0x28;
        ByteBuffer.wrap(cdb).putInt(2, (int) lba).putShort(7, (short) blocks);
        return cdb;
    }

    public static byte[] write10(long lba, int blocks) {
        byte[] cdb = read10(lba, blocks);
        cdb[0] = 0x2a;
        return cdb;
    }

    public static byte[] testUnitReady() {
        return new byte[16];
    }

    public boolean isReservedTag(int tag) {
        return tag == Bhs.RESERVED_TAG;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
