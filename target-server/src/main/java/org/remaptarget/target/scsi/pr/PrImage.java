package org.remaptarget.target.scsi.pr;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The on-disk image of a persistent reservation state (format in {@code FORMAT.md} beside this file): magic,
 * version, APTPL flag, a save sequence number that only grows, the reservation, the registrations, CRC32C.
 * Pure functions; decoding never throws — a malformed image becomes a {@link Decoded} naming what is wrong.
 */
public final class PrImage {
    public static final int MAGIC = 0x52545052; // "RTPR"
    public static final int VERSION = 1;
    /** Upper bound on registrations accepted from an image. */
    public static final int MAX_REGISTRATIONS = 65_536;
    /** Upper bound on a stored name (iSCSI names are at most 223 bytes). */
    public static final int MAX_NAME_BYTES = 255;

    private static final int FLAG_APTPL = 1;
    private static final int REG_ALL_TG_PT = 1;
    private static final int REG_ANY_ISID = 2;
    private static final int NO_HOLDER = 0xFFFF;

    private PrImage() {
    }

    /**
     * Result of decoding: the state and the sequence number, or an error.
     *
     * @param state    the decoded state (null on error)
     * @param sequence the image's save sequence
     * @param error    what is wrong, or null
     */
    public record Decoded(PrState state, long sequence, String error) {
        static Decoded fail(String why) {
            return new Decoded(null, 0, why);
        }
    }

    /** Encodes {@code s} (PRgeneration is not stored: power on resets it to zero). */
    public static byte[] encode(PrState s, long sequence) {
        List<byte[]> inits = new ArrayList<>();
        List<byte[]> targets = new ArrayList<>();
        int size = 24 + 4;
        for (Registration r : s.registrations()) {
            byte[] i = r.who().initiatorName().getBytes(StandardCharsets.UTF_8);
            byte[] t = r.who().targetName().getBytes(StandardCharsets.UTF_8);
            inits.add(i);
            targets.add(t);
            size += 24 + 4 + i.length + t.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putInt(MAGIC).putShort((short) VERSION).putShort((short) (s.aptpl() ? FLAG_APTPL : 0)).putLong(sequence);
        PrState.Reservation res = s.reservation();
        int holder = NO_HOLDER;
        if (res != null && res.holder() != null) {
            holder = s.registrations().indexOf(s.registrationOf(res.holder()));
        }
        b.put((byte) (res == null ? 0 : 1)).put((byte) (res == null ? 0 : res.type().code())).putShort((short) holder);
        b.putInt(s.registrations().size());
        for (int k = 0; k < s.registrations().size(); k++) {
            Registration r = s.registrations().get(k);
            Registrant w = r.who();
            int flags = (w.allTargetPorts() ? REG_ALL_TG_PT : 0) | (w.isid() == Registrant.ANY_ISID ? REG_ANY_ISID : 0);
            b.putLong(r.key()).put((byte) flags).put((byte) 0).putShort((short) 0).putInt(w.tpgt());
            b.putLong(w.isid() == Registrant.ANY_ISID ? 0 : w.isid());
            b.putShort((short) inits.get(k).length).put(inits.get(k));
            b.putShort((short) targets.get(k).length).put(targets.get(k));
        }
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        return b.array();
    }

    /** Decodes an image written by {@link #encode}. */
    public static Decoded decode(byte[] image) {
        if (image.length < 28) {
            return Decoded.fail("image of " + image.length + " bytes is shorter than its header");
        }
        CRC32C crc = new CRC32C();
        crc.update(image, 0, image.length - 4);
        ByteBuffer b = ByteBuffer.wrap(image);
        if (b.getInt(image.length - 4) != (int) crc.getValue()) {
            return Decoded.fail("CRC32C mismatch");
        }
        if (b.getInt() != MAGIC) {
            return Decoded.fail("bad magic");
        }
        int version = b.getShort() & 0xffff;
        if (version != VERSION) {
            return Decoded.fail("unsupported version " + version);
        }
        boolean aptpl = (b.getShort() & FLAG_APTPL) != 0;
        long sequence = b.getLong();
        boolean reserved = b.get() != 0;
        int typeCode = b.get() & 0xff;
        int holder = b.getShort() & 0xffff;
        int count = b.getInt();
        if (count < 0 || count > MAX_REGISTRATIONS) {
            return Decoded.fail("registration count " + count + " out of range");
        }
        List<Registration> regs = new ArrayList<>(Math.min(count, 1024));
        for (int k = 0; k < count; k++) {
            if (b.remaining() - 4 < 28) {
                return Decoded.fail("registration " + k + " truncated");
            }
            long key = b.getLong();
            int flags = b.get() & 0xff;
            b.get();
            b.getShort();
            int tpgt = b.getInt();
            long isid = b.getLong();
            String init = name(b);
            String target = init == null ? null : name(b);
            if (init == null || target == null || key == 0) {
                return Decoded.fail("registration " + k + " malformed");
            }
            Registrant w = new Registrant(init, (flags & REG_ANY_ISID) != 0 ? Registrant.ANY_ISID : isid, target,
                    tpgt, (flags & REG_ALL_TG_PT) != 0);
            regs.add(new Registration(w, key));
        }
        if (b.remaining() != 4) {
            return Decoded.fail(b.remaining() - 4 + " trailing bytes");
        }
        PrState.Reservation res = null;
        if (reserved) {
            PrType type = PrType.fromCode(typeCode);
            if (type == null) {
                return Decoded.fail("reservation type " + typeCode + " invalid");
            }
            if (type.allRegistrants() ? regs.isEmpty() : holder >= regs.size()) {
                return Decoded.fail("reservation holder " + holder + " is not registered");
            }
            res = new PrState.Reservation(type.allRegistrants() ? null : regs.get(holder).who(), type);
        }
        return new Decoded(new PrState(0, regs, res, aptpl), sequence, null);
    }

    private static String name(ByteBuffer b) {
        if (b.remaining() < 2) {
            return null;
        }
        int len = b.getShort() & 0xffff;
        if (len == 0 || len > MAX_NAME_BYTES || b.remaining() - 4 < len) {
            return null;
        }
        byte[] s = new byte[len];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }
}
