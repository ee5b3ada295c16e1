package org.remaptarget.target.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecurityConfigTest {
    @TempDir
    Path dir;

    static final String TARGET = """
            targets:
              - iqn: iqn.2026-11.org.example:t1
                luns:
                  - lun: 0
                    path: lun0.img
                    size: 1M
            """;

    ServerConfig parse(String targetExtra, String top) throws Exception {
        return new ConfigLoader().parse("test.yaml", top + TARGET + targetExtra, dir);
    }

    @Test
    void targetAccessKeysAreParsed() throws Exception {
        ServerConfig c = parse("""
                    chap: {user: alice, secret: twelve-bytes-ok}
                    mutual-chap: {user: tgt, secret: another-long-secret}
                    allowed-initiators: [iqn.2026-11.org.example:host1]
                    allowed-networks: [10.0.0.0/8, "::1"]
                    lun-masks:
                      iqn.2026-11.org.example:host1: [0]
                """, "");
        AccessConfig a = c.targets().get(0).access();
        assertEquals("alice", a.chap().user());
        assertEquals("tgt", a.mutualChap().user());
        assertEquals(List.of("iqn.2026-11.org.example:host1"), a.allowedInitiators());
        assertEquals(List.of("10.0.0.0/8", "::1"), a.allowedNetworks());
        assertEquals(List.of(0L), a.lunMasks().get("iqn.2026-11.org.example:host1"));
    }

    @Test
    void shortSecretIsRefusedWithKeyAndLineButWithoutTheSecret() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("""
                    chap: {user: alice, secret: short-one}
                """, ""));
        assertEquals("targets[0].chap.secret", e.key());
        assertEquals(7, e.line());
        assertFalse(e.getMessage().contains("short-one"));
    }

    @Test
    void mutualChapWithoutOneWayChapIsRefused() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("""
                    mutual-chap: {user: tgt, secret: another-long-secret}
                """, ""));
        assertEquals("targets[0].mutual-chap", e.key());
    }

    @Test
    void badNetworkIsRefusedWithItsKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("""
                    allowed-networks: [10.0.0.0/40]
                """, ""));
        assertEquals("targets[0].allowed-networks[0]", e.key());
    }

    @Test
    void topLevelDiscoveryChapMd5AndLimitsAreParsed() throws Exception {
        ServerConfig c = parse("", """
                discovery-chap: {user: disc, secret: discovery-secret}
                chap-allow-md5: true
                limits:
                  max-sessions: 10
                  max-sessions-per-target: 4
                  command-window: 32
                  max-recv-data-segment-length: 65536
                  login-timeout: 5
                  nop-in-interval: 2
                  nop-in-timeout: 6
                  max-write-buffer: 64M
                """);
        assertEquals("disc", c.security().discovery().chap().user());
        assertTrue(c.security().chapAllowMd5());
        LimitsConfig l = c.security().limits();
        assertEquals(10, l.maxSessions());
        assertEquals(4, l.maxSessionsPerTarget());
        assertEquals(32, l.commandWindow());
        assertEquals(65536, l.maxRecvDataSegmentLength());
        assertEquals(5, l.loginTimeoutSeconds());
        assertEquals(64L << 20, l.maxWriteBufferBytes());
    }

    @Test
    void unknownLimitIsRefused() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("", "limits: {max-foo: 1}\n"));
        assertEquals("limits.max-foo", e.key());
    }

    @Test
    void secretsNeverAppearInToString() throws Exception {
        ServerConfig c = parse("""
                    chap: {user: alice, secret: twelve-bytes-ok}
                """, "discovery-chap: {user: disc, secret: discovery-secret}\n");
        assertFalse(c.toString().contains("twelve-bytes-ok"));
        assertFalse(c.toString().contains("discovery-secret"));
    }

    @Test
    void worldReadableConfigWithSecretsIsRefused() throws Exception {
        ServerConfig c = parse("""
                    chap: {user: alice, secret: twelve-bytes-ok}
                """, "");
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, "x");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigPermissions.check(f, c));
        assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        ConfigPermissions.check(f, c);
    }

    @Test
    void readableConfigWithoutSecretsIsAccepted() throws Exception {
        ServerConfig c = parse("", "");
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, "x");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        ConfigPermissions.check(f, c);
    }
}
