package org.remaptarget.target.lun;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * An {@link ImageStore} in one small file. A save writes {@code <file>.tmp}, forces it to disk, renames it over the
 * file atomically and forces the directory, so a crash leaves the old image or the new one. The image itself
 * carries its own magic and CRC (the persistent reservation image, the sanitize record); this class only moves
 * bytes. Saves are serialised by this
 * object's monitor.
 */
public final class FileImageStore implements ImageStore {
    /** Images larger than this are refused on load (a registration list is a few KiB at most). */
    public static final int MAX_IMAGE_BYTES = 4 << 20;

    private final Path file;
    private final Path temp;

    public FileImageStore(Path file) {
        this.file = Objects.requireNonNull(file).toAbsolutePath();
        this.temp = this.file.resolveSibling(this.file.getFileName() + ".tmp");
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized byte[] load() throws IOException {
        try {
            long size = Files.size(file);
            if (size > MAX_IMAGE_BYTES) {
                throw new IOException(file + ": " + size + " bytes is too large for a logical unit state image");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    @Override
    public synchronized void save(byte[] image) throws IOException {
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(image);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException(file + ": the file system cannot rename atomically", e);
        }
        forceDirectory(file.getParent());
    }

    private static void forceDirectory(Path dir) {
        if (dir == null) {
            return;
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Some platforms cannot open a directory for fsync; the rename is still atomic there.
        }
    }
}
