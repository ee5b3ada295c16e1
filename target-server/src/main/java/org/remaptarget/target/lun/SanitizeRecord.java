package org.remaptarget.target.lun;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The sanitize record of one logical unit, as stored in its {@link ImageStore} (format in {@code FORMAT.md}
 * beside this class): magic, version, phase, the operation while one runs, a save sequence and a CRC32C.
 * Decoding checks everything and throws {@link IllegalArgumentException} naming what is wrong.
 */
record SanitizeRecord(long sequence, SanitizeState.Phase phase, SanitizeOperation operation) {
    static final int MAGIC = 0x5254535A; // "RTSZ"
    static final int VERSION = 1;
    private static final int HEADER = 20;

    SanitizeRecord {
        if ((phase == SanitizeState.Phase.IN_PROGRESS) != (operation != null)) {
            throw new IllegalArgumentException("a sanitize record names its operation exactly while it runs");
        }
    }

    byte[] encode() {
        byte[] pattern = operation == null ? new byte[0] : operation.pattern();
        ByteBuffer b = ByteBuffer.allocate(HEADER + pattern.length + 4);
        b.putInt(MAGIC).putShort((short) VERSION).put((byte) phase.ordinal());
        b.put((byte) (operation == null ? 0 : operation.serviceAction()));
        b.put((byte) (operation == null ? 0 : operation.passes()));
        b.put((byte) (operation != null && operation.invert() ? 1 : 0));
        b.putShort((short) pattern.length).putLong(sequence).put(pattern);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        return b.array();
    }

    static SanitizeRecord decode(byte[] image) {
        if (image.length < HEADER + 4) {
            throw new IllegalArgumentException("sanitize record of " + image.length + " bytes is truncated");
        }
        ByteBuffer b = ByteBuffer.wrap(image);
        CRC32C crc = new CRC32C();
        crc.update(image, 0, image.length - 4);
        if ((int) crc.getValue() != b.getInt(image.length - 4)) {
            throw new IllegalArgumentException("sanitize record CRC32C mismatch");
        }
        if (b.getInt() != MAGIC) {
            throw new IllegalArgumentException("not a sanitize record (bad magic)");
        }
        int version = b.getShort() & 0xffff;
        if (version != VERSION) {
            throw new IllegalArgumentException("sanitize record version " + version + " is not supported");
        }
        int p = b.get() & 0xff;
        if (p >= SanitizeState.Phase.values().length) {
            throw new IllegalArgumentException("sanitize record phase " + p + " is unknown");
        }
        SanitizeState.Phase phase = SanitizeState.Phase.values()[p];
        int sa = b.get() & 0xff;
        int passes = b.get() & 0xff;
        int flags = b.get() & 0xff;
        int patternLength = b.getShort() & 0xffff;
        long sequence = b.getLong();
        if (image.length != HEADER + patternLength + 4) {
            throw new IllegalArgumentException("sanitize record length " + image.length + " does not match its "
                    + patternLength + "-byte pattern");
        }
        byte[] pattern = new byte[patternLength];
        b.get(pattern);
        SanitizeOperation op = null;
        if (phase == SanitizeState.Phase.IN_PROGRESS) {
            op = sa == SanitizeOperation.OVERWRITE ? new SanitizeOperation(sa, pattern, passes, (flags & 1) != 0)
                    : SanitizeOperation.erase(sa);
        }
        return new SanitizeRecord(sequence, phase, op);
    }
}
