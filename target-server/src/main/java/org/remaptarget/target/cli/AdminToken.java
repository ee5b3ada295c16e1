package org.remaptarget.target.cli;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/** The admin API's bearer token: 32 random bytes in hex, in a file only its owner can read. */
final class AdminToken {
    private AdminToken() {
    }

    static String loadOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            String t = Files.readString(file).trim();
            if (t.length() < 32) {
                throw new IOException(file + " holds no usable token (delete it to have a new one made)");
            }
            return t;
        }
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        String token = HexFormat.of().formatHex(b);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            return loadOrCreate(file);
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        Files.writeString(file, token + "\n");
        return token;
    }
}
