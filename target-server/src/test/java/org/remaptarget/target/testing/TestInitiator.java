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
