package org.remaptarget.target.testing;

import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.Map;
import org.remaptarget.target.pdu.DataInPdu;
import org.remaptarget.target.pdu.LoginResponsePdu;
import org.remaptarget.target.pdu.Pdu;
import org.remaptarget.target.pdu.ScsiResponsePdu;

/**
 * A manual live-check tool (not a test): sends one CDB to LUN 0 of a running target over a fresh session and prints
 * the status, sense bytes and Data-In in hex (after TEST UNIT READY has collected the session's unit attention). Data-Out, if given, travels as immediate data (so keep it within
 * FirstBurstLength). Usage: {@code LiveScsi HOST:PORT TARGET-IQN CDB-HEX [DATA-OUT-HEX [ALLOCATION]]}.
 */
public final class LiveScsi {
    private LiveScsi() {
    }

    public static void main(String[] args) throws Exception {
        String[] hp = args[0].split(":");
        byte[] cdb16 = new byte[16];
        byte[] cdb = HexFormat.of().parseHex(args[2]);
        System.arraycopy(cdb, 0, cdb16, 0, cdb.length);
        byte[] out = args.length > 3 && !args[3].isEmpty() ? HexFormat.of().parseHex(args[3]) : null;
        int edtl = out != null ? out.length : args.length > 4 ? Integer.parseInt(args[4]) : 4096;
        try (TestInitiator i = new TestInitiator(new InetSocketAddress(hp[0], Integer.parseInt(hp[1])))) {
            LoginResponsePdu login = i.login("iqn.2026-11.org.remaptarget:live-check", 0x23d000000099L, args[1],
                    Map.of());
            if (login.statusClass() != 0) {
                throw new IllegalStateException("login failed: class " + login.statusClass());
            }
            // a new session's first command collects its unit attention (I_T nexus loss): clear it with TUR
            for (int n = 0; n < 4; n++) {
                i.send(i.command(TestInitiator.testUnitReady(), false, false, 0, null, true));
                if (i.receive(10_000) instanceof ScsiResponsePdu r && r.status() == 0) {
                    break;
                }
            }
            i.send(i.command(cdb16, out == null, out != null, edtl, out, true));
            StringBuilder dataIn = new StringBuilder();
            for (int n = 0; n < 1000; n++) {
                Pdu p = i.receive(10_000);
                if (p instanceof DataInPdu d) {
                    dataIn.append(HexFormat.of().formatHex(d.data(), d.dataOffset(), d.dataOffset() + d.dataLength()));
                    if (d.statusPresent()) {
                        System.out.println("status 0x" + Integer.toHexString(d.status()) + " data " + dataIn);
                        return;
                    }
                } else if (p instanceof ScsiResponsePdu r) {
                    byte[] seg = r.data();
                    String sense = seg.length > 2 ? HexFormat.of().formatHex(seg, 2, seg.length) : "";
                    System.out.println("status 0x" + Integer.toHexString(r.status()) + " sense " + sense
                            + (dataIn.length() > 0 ? " data " + dataIn : ""));
                    return;
                }
            }
        }
    }
}
