package org.remaptarget.target.scsi.spc;

import java.nio.charset.StandardCharsets;
import org.remaptarget.target.lun.LogicalUnit;
import org.remaptarget.target.lun.LunSettings;
import org.remaptarget.target.scsi.Command;
import org.remaptarget.target.scsi.CommandHandler;
import org.remaptarget.target.scsi.Nexus;
import org.remaptarget.target.scsi.ScsiFailure;
import org.remaptarget.target.scsi.ScsiResult;
import org.remaptarget.target.scsi.SenseReason;
import org.remaptarget.target.scsi.sbc.SbcLimits;

/**
 * INQUIRY (SPC-4 §6.6): standard data and the VPD pages 00h, 80h, 83h, B0h, B1h, B2h. For a LUN that does not
 * exist the standard data says peripheral qualifier 3, device type 1Fh. Stateless.
 */
final class InquiryHandler implements CommandHandler {
    /** VPD pages supported, ascending (page 00h lists exactly these). */
    static final int[] PAGES = {0x00, 0x80, 0x83, 0xB0, 0xB1, 0xB2};

    private static final int PROTOCOL_ISCSI = 0x5;
    private static final int RELATIVE_TARGET_PORT = 1;

    @Override
    public ScsiResult execute(Command c) throws ScsiFailure {
        boolean evpd = c.bit(1, 0);
        if (c.bit(1, 1)) { // CMDDT: obsolete
            throw ScsiFailure.cdb(1, 1);
        }
        int page = c.u8(2);
        int alloc = c.u16(3);
        LogicalUnit lu = c.lu();
        if (!evpd) {
            if (page != 0) {
                throw ScsiFailure.cdb(2);
            }
            byte[] d = standard(lu);
            return Command.dataIn(d, d.length, alloc);
        }
        if (lu == null) {
            throw ScsiFailure.of(SenseReason.LOGICAL_UNIT_NOT_SUPPORTED);
        }
        byte[] d = switch (page) {
            case 0x00 -> supportedPages();
            case 0x80 -> serialPage(lu.settings());
            case 0x83 -> identificationPage(lu.settings(), c.nexus());
            case 0xB0 -> blockLimits(lu);
            case 0xB1 -> blockCharacteristics();
            case 0xB2 -> provisioning(lu);
            default -> throw ScsiFailure.cdb(2);
        };
        return Command.dataIn(d, d.length, alloc);
    }

    static byte[] standard(LogicalUnit lu) {
        byte[] d = new byte[96];
        if (lu == null) {
            d[0] = 0x7F; // qualifier 3: no logical unit here; type 1Fh unknown
        } else {
            d[0] = 0x00; // connected, direct access block device
        }
        d[1] = (byte) (lu != null && lu.removable() ? 0x80 : 0); // RMB
        d[2] = 0x06;     // SPC-4
        d[3] = 0x12;     // HISUP, response data format 2
        d[4] = (byte) (d.length - 5);
        d[5] = 0x08;     // 3PC: EXTENDED COPY; no TPGS (no ALUA), no PROTECT
        d[6] = 0;
        d[7] = 0x02;     // CMDQUE
        LunSettings s = lu == null ? null : lu.settings();
        ascii(d, 8, 8, s == null ? LunSettings.DEFAULT_VENDOR : s.vendor());
        ascii(d, 16, 16, s == null ? LunSettings.DEFAULT_PRODUCT : s.product());
        ascii(d, 32, 4, s == null ? LunSettings.DEFAULT_REVISION : s.revision());
        int[] versions = {0x00A0 /* SAM-5 */, 0x0960 /* iSCSI */, 0x0460 /* SPC-4 */, 0x04C0 /* SBC-3 */};
        for (int i = 0; i < versions.length; i++) {
            d[58 + 2 * i] = (byte) (versions[i] >>> 8);
            d[59 + 2 * i] = (byte) versions[i];
        }
        return d;
    }

    private static byte[] supportedPages() {
        byte[] d = new byte[4 + PAGES.length];
        d[3] = (byte) PAGES.length;
        for (int i = 0; i < PAGES.length; i++) {
            d[4 + i] = (byte) PAGES[i];
        }
        return d;
    }

    private static byte[] serialPage(LunSettings s) {
        byte[] serial = s.serial().getBytes(StandardCharsets.US_ASCII);
        byte[] d = new byte[4 + serial.length];
        d[1] = (byte) 0x80;
        d[3] = (byte) serial.length;
        System.arraycopy(serial, 0, d, 4, serial.length);
        return d;
    }

    private static byte[] identificationPage(LunSettings s, Nexus nexus) {
        byte[] buf = new byte[1024];
        int p = 4;
        // NAA-6, logical unit
        p = designator(buf, p, 0x01, 0, 0, 0x3, s.naaId());
        // T10 vendor id: vendor (8, space padded) + serial
        byte[] t10 = new byte[8 + s.serial().length()];
        ascii(t10, 0, 8, s.vendor());
        ascii(t10, 8, s.serial().length(), s.serial());
        p = designator(buf, p, 0x02, 0, 0, 0x1, t10);
        // relative target port, target port group (association: target port, PIV: iSCSI)
        byte[] rel = {0, 0, 0, (byte) RELATIVE_TARGET_PORT};
        p = designator(buf, p, 0x01, 1, 1, 0x4, rel);
        byte[] tpg = {0, 0, (byte) (nexus.tpgt() >>> 8), (byte) nexus.tpgt()};
        p = designator(buf, p, 0x01, 1, 1, 0x5, tpg);
        // SCSI name strings: target port and target device
        p = designator(buf, p, 0x03, 1, 1, 0x8, nameString(nexus.targetPort()));
        p = designator(buf, p, 0x03, 1, 2, 0x8, nameString(nexus.targetName()));
        buf[1] = (byte) 0x83;
        buf[2] = (byte) ((p - 4) >>> 8);
        buf[3] = (byte) (p - 4);
        byte[] d = new byte[p];
        System.arraycopy(buf, 0, d, 0, p);
        return d;
    }

    private static int designator(byte[] buf, int p, int codeSet, int piv, int association, int type, byte[] id) {
        buf[p] = (byte) ((piv == 1 ? PROTOCOL_ISCSI << 4 : 0) | codeSet);
        buf[p + 1] = (byte) ((piv << 7) | (association << 4) | type);
        buf[p + 3] = (byte) id.length;
        System.arraycopy(id, 0, buf, p + 4, id.length);
        return p + 4 + id.length;
    }

    /** UTF-8, null terminated, padded with nulls to a multiple of 4 (SPC-4 §7.8.6.11), capped at 252 bytes. */
    private static byte[] nameString(String name) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        int len = Math.min(252, (n.length + 1 + 3) & ~3);
        byte[] out = new byte[len];
        System.arraycopy(n, 0, out, 0, Math.min(n.length, len - 1));
        return out;
    }

    private static byte[] blockLimits(LogicalUnit lu) {
        LunSettings s = lu.settings();
        byte[] d = new byte[64];
        d[1] = (byte) 0xB0;
        d[3] = 0x3C;
        d[4] = 0;                                   // WSNZ = 0: WRITE SAME with 0 blocks means "to the end"
        d[5] = (byte) SbcLimits.maxCompareAndWriteBlocks(); // MAXIMUM COMPARE AND WRITE LENGTH
        put16(d, 6, s.optimalTransferBlocks());     // OPTIMAL TRANSFER LENGTH GRANULARITY
        put32(d, 8, s.maxTransferBlocks());         // MAXIMUM TRANSFER LENGTH
        put32(d, 12, s.maxTransferBlocks());        // OPTIMAL TRANSFER LENGTH
        put32(d, 16, s.maxTransferBlocks());        // MAXIMUM PREFETCH LENGTH
        put32(d, 20, SbcLimits.maxUnmapBlocks(lu));        // MAXIMUM UNMAP LBA COUNT
        put32(d, 24, SbcLimits.maxUnmapDescriptors(lu));   // MAXIMUM UNMAP BLOCK DESCRIPTOR COUNT
        put32(d, 28, SbcLimits.unmapGranularity(lu));      // OPTIMAL UNMAP GRANULARITY
        if (lu.thin()) {
            d[32] = (byte) 0x80;                            // UGAVALID, UNMAP GRANULARITY ALIGNMENT 0
        }
        long ws = s.maxWriteSameBlocks();
        for (int i = 0; i < 8; i++) {
            d[36 + i] = (byte) (ws >>> (56 - 8 * i));
        }
        put32(d, 44, SbcLimits.maxAtomicBlocks(lu));       // MAXIMUM ATOMIC TRANSFER LENGTH
        put32(d, 48, 1);                                    // ATOMIC ALIGNMENT
        put32(d, 52, 1);                                    // ATOMIC TRANSFER LENGTH GRANULARITY
        // 56..63: no atomic boundaries (WRITE ATOMIC's ATOMIC BOUNDARY must be 0)
        return d;
    }

    private static byte[] blockCharacteristics() {
        byte[] d = new byte[64];
        d[1] = (byte) 0xB1;
        d[3] = 0x3C;
        d[5] = 0x01; // MEDIUM ROTATION RATE 1: non-rotating medium
        d[7] = 0x50; // WABEREQ 1, WACEREQ 1: reads after BLOCK / CRYPTO ERASE succeed (and return zeros)
        return d;
    }

    private static byte[] provisioning(LogicalUnit lu) {
        byte[] d = new byte[8];
        d[1] = (byte) 0xB2;
        d[3] = 0x04;
        if (lu.thin()) {
            d[5] = (byte) 0xE4; // LBPU, LBPWS, LBPWS10, LBPRZ; ANC_SUP = 0, DP = 0
            d[6] = 0x02;        // provisioning type: thin
        }
        return d;
    }

    static void ascii(byte[] d, int off, int len, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < len; i++) {
            byte ch = i < b.length ? b[i] : (byte) ' ';
            d[off + i] = ch >= 0x20 && ch <= 0x7e ? ch : (byte) ' ';
        }
    }

    static void put16(byte[] d, int off, int v) {
        d[off] = (byte) (v >>> 8);
        d[off + 1] = (byte) v;
    }

    static void put32(byte[] d, int off, long v) {
        d[off] = (byte) (v >>> 24);
        d[off + 1] = (byte) (v >>> 16);
        d[off + 2] = (byte) (v >>> 8);
        d[off + 3] = (byte) v;
    }
}
