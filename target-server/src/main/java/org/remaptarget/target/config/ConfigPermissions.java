package org.remaptarget.target.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * Refuses a configuration file that holds CHAP secrets while other users can read it (group or world readable),
 * like ssh refuses a readable private key. On file systems without POSIX permissions the check passes.
 */
public final class ConfigPermissions {
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.OTHERS_READ);

    private ConfigPermissions() {
    }

    /** Whether the configuration contains any CHAP secret. */
    public static boolean holdsSecrets(ServerConfig config) {
        if (hasSecret(config.security().discovery())) {
            return true;
        }
        return config.targets().stream().anyMatch(t -> hasSecret(t.access()));
    }

    private static boolean hasSecret(AccessConfig a) {
        return a.chap() != null || a.mutualChap() != null;
    }

    /** Throws when {@code file} holds secrets and is readable by group or others. */
    public static void check(Path file, ServerConfig config) throws ConfigException {
        if (!holdsSecrets(config)) {
            return;
        }
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException e) {
            return;
        } catch (IOException e) {
            throw new ConfigException(file.toString(), null, 0, "cannot read its permissions: " + e.getMessage());
        }
        for (PosixFilePermission p : OTHERS) {
            if (perms.contains(p)) {
                throw new ConfigException(file.toString(), null, 0, "holds CHAP secrets but is readable by "
                        + (p == PosixFilePermission.GROUP_READ ? "its group" : "every user")
                        + "; run 'chmod 600 " + file + "' (or pass --allow-insecure-config-permissions)");
            }
        }
    }
}
