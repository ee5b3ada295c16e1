package org.remaptarget.remap.meta;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.remaptarget.remap.device.BlockDevice;

/**
 * Formatting a device and verifying the headers that say whose it is: the two superblock copies of a volume and the
 * header of a separate spare device. Stateless; every failure is a {@link MetadataException} naming the device and
 * what is wrong.
 */
public final class VolumeHeaders {
    private static final Logger LOG = LogManager.getLogger(VolumeHeaders.class);

    private VolumeHeaders() {
    }

    /**
     * Formats: writes both superblock copies, an empty checkpoint into both copies (generations 1 and 2) and, for
     * a separate spare device, its header. Flushes everything.
     */
    public static void format(BlockDevice backing, BlockDevice spareDevice, Superblock sb) throws IOException {
        Layout l = sb.layout();
        if (backing.blockSize() != l.blockSize() || backing.blockCount() < l.backingBlocks()) {
            throw new MetadataException(backing + ": needs " + l.backingBlocks() + " blocks of " + l.blockSize()
                    + " bytes, has " + backing.blockCount() + " of " + backing.blockSize());
        }
        if (spareDevice != null && (spareDevice.blockSize() != l.blockSize()
                || spareDevice.blockCount() < l.spareDeviceBlocks())) {
            throw new MetadataException(spareDevice + ": spare device needs " + l.spareDeviceBlocks() + " blocks of "
                    + l.blockSize() + " bytes");
        }
        CheckpointCodec c = new CheckpointCodec(backing, l, sb.checksumSeed());
        c.write(0, 1, 0, 0, 0, new long[0], new long[0]);
        c.write(1, 2, 0, 0, 0, new long[0], new long[0]);
        if (spareDevice != null) {
            spareDevice.write(0, ByteBuffer.wrap(sb.asSpareHeader().encode()), false);
            spareDevice.flush();
        }
        // superblocks last: a device is formatted only once everything it names exists
        backing.write(0, ByteBuffer.wrap(sb.encode()), false);
        backing.write(1, ByteBuffer.wrap(sb.encode()), false);
        backing.flush();
    }

    /**
     * Reads and verifies both superblock copies; a bad copy is rewritten from the good one (logged). Throws
     * {@link MetadataException} naming {@code name} and the problem if neither copy is valid.
     */
    public static Superblock readSuperblock(BlockDevice backing, String name, boolean readOnly) throws IOException {
        Superblock[] sb = new Superblock[2];
        String[] why = new String[2];
        for (int i = 0; i < 2; i++) {
            ByteBuffer b = ByteBuffer.allocate(backing.blockSize());
            try {
                backing.read(i, b);
                b.flip();
                sb[i] = Superblock.decode(b, name + " superblock copy " + i);
            } catch (MetadataException e) {
                why[i] = e.getMessage();
            } catch (IOException e) {
                why[i] = name + " superblock copy " + i + ": unreadable (" + e.getMessage() + ")";
            }
        }
        if (sb[0] == null && sb[1] == null) {
            throw new MetadataException(why[0] + (why[1].equals(why[0].replace("copy 0", "copy 1")) ? ""
                    : "; " + why[1]));
        }
        int good = sb[0] == null ? 1 : sb[1] == null ? 0 : sb[1].generation() > sb[0].generation() ? 1 : 0;
        Superblock s = sb[good];
        if (s.role() != Superblock.Role.VOLUME) {
            throw new MetadataException(name + ": is a spare device of LUN " + s.lunUuid() + ", not a volume");
        }
        if (s.layout().blockSize() != backing.blockSize()) {
            throw new MetadataException(name + ": formatted with " + s.layout().blockSize()
                    + "-byte blocks, opened with " + backing.blockSize());
        }
        if (backing.blockCount() < s.layout().backingBlocks()) {
            throw new MetadataException(name + ": has " + backing.blockCount() + " blocks but its superblock needs "
                    + s.layout().backingBlocks() + " (truncated or wrong device)");
        }
        int bad = 1 - good;
        if (!readOnly && (sb[bad] == null || !sb[bad].equals(s))) {
            LOG.warn("metadata repair: {} superblock copy {} invalid ({}); rewriting it from copy {}", name, bad,
                    why[bad] == null ? "stale" : why[bad], good);
            backing.write(bad, ByteBuffer.wrap(s.encode()), false);
            backing.flush();
        }
        return s;
    }

    /** Verifies a separate spare device's header belongs to {@code sb}'s volume. */
    public static void checkSpareHeader(BlockDevice spareDevice, Superblock sb, String name) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(spareDevice.blockSize());
        spareDevice.read(0, b);
        b.flip();
        Superblock h = Superblock.decode(b, name + " spare header");
        if (h.role() != Superblock.Role.SPARE) {
            throw new MetadataException(name + ": is not a spare device (it holds a volume superblock)");
        }
        if (!h.lunUuid().equals(sb.lunUuid()) || !h.spareUuid().equals(sb.spareUuid())) {
            throw new MetadataException(name + ": spare device belongs to LUN " + h.lunUuid() + " spare "
                    + h.spareUuid() + ", not to LUN " + sb.lunUuid() + " spare " + sb.spareUuid());
        }
        if (!h.layout().equals(sb.layout())) {
            throw new MetadataException(name + ": spare device geometry does not match the volume");
        }
        if (spareDevice.blockCount() < sb.layout().spareDeviceBlocks()) {
            throw new MetadataException(name + ": spare device too small");
        }
    }
}
