package org.remaptarget.target.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private final ConfigLoader loader = new ConfigLoader();

    private ServerConfig parse(String yaml) throws ConfigException {
        return loader.parse("test.yaml", yaml, dir);
    }

    private ConfigException error(String yaml) {
        return assertThrows(ConfigException.class, () -> parse(yaml));
    }

    private static final String MINIMAL = """
            targets:
              - iqn: iqn.2026-11.org.example:a
                luns:
                  - lun: 0
                    path: a.img
                    size: 1GiB
            """;

    @Test
    void minimalConfigGetsDefaultPortalBlockSizeAndSpare() throws Exception {
        ServerConfig c = parse(MINIMAL);
        assertEquals(1, c.portals().size());
        assertEquals("127.0.0.1", c.portals().get(0).getHostString());
        assertEquals(3260, c.portals().get(0).getPort());
        LunConfig l = c.targets().get(0).luns().get(0);
        assertEquals(1L << 30, l.sizeBytes());
        assertEquals(512, l.blockSize());
        assertEquals(dir.resolve("a.img"), l.path());
        assertEquals(ServerConfig.DEMO_SPARE, l.spareBytes());
        assertFalse(l.passthrough());
        assertNull(l.serial());
    }

    @Test
    void lunsAreThinAndFixedByDefault() throws Exception {
        LunConfig l = parse(MINIMAL).targets().get(0).luns().get(0);
        assertTrue(l.thin());
        assertFalse(l.removable());
    }

    @Test
    void thinAndRemovableAreReadFromTheLun() throws Exception {
        LunConfig l = parse(MINIMAL + "        thin: false\n        removable: true\n").targets().get(0).luns().get(0);
        assertFalse(l.thin());
        assertTrue(l.removable());
    }

    @Test
    void aThinValueThatIsNotABooleanIsRefused() {
        ConfigException e = error(MINIMAL + "        thin: sometimes\n");
        assertTrue(e.getMessage().contains("thin"), e.getMessage());
    }

    @Test
    void theSpareCacheTakesTheEngineDefaultUnlessSized() throws Exception {
        assertEquals(-1, parse(MINIMAL).targets().get(0).luns().get(0).spareCacheBytes());
        assertEquals(16L << 20, parse(MINIMAL + "        spare-cache: 16MiB\n").targets().get(0).luns().get(0)
                .spareCacheBytes());
        assertEquals(0, parse(MINIMAL + "        spare-cache: 0\n").targets().get(0).luns().get(0).spareCacheBytes());
    }

    @Test
    void aSpareCacheThatIsNotASizeIsNamedWithItsLine() {
        ConfigException e = error(MINIMAL + "        spare-cache: plenty\n");
        assertEquals("targets[0].luns[0].spare-cache", e.key());
        assertEquals(7, e.line());
        assertTrue(e.getMessage().contains("'plenty' is not a size"), e.getMessage());
    }

    @Test
    void shippedExampleConfigurationLoads() throws Exception {
        Path example = Path.of("..", "conf", "remap-target.yaml");
        ServerConfig c = loader.load(example);
        assertEquals("iqn.2026-11.org.remaptarget:example", c.targets().get(0).iqn());
        assertEquals(64L << 20, c.targets().get(0).luns().get(0).spareBytes());
    }

    @Test
    void unknownKeyIsNamedWithItsLine() {
        ConfigException e = error(MINIMAL + "        sise: 3\n");
        assertEquals("targets[0].luns[0].sise", e.key());
        assertEquals(7, e.line());
        assertTrue(e.getMessage().startsWith("test.yaml:7: key 'targets[0].luns[0].sise': unknown key"),
                e.getMessage());
    }

    @Test
    void badBlockSizeIsRefused() {
        ConfigException e = error(MINIMAL + "        block-size: 1024\n");
        assertEquals("targets[0].luns[0].block-size", e.key());
        assertTrue(e.getMessage().contains("512 or 4096"), e.getMessage());
    }

    @Test
    void badSizeNamesTheValue() {
        ConfigException e = error(MINIMAL.replace("1GiB", "lots"));
        assertEquals("targets[0].luns[0].size", e.key());
        assertEquals(6, e.line());
        assertTrue(e.getMessage().contains("'lots' is not a size"), e.getMessage());
    }

    @Test
    void sizeThatIsNotAWholeNumberOfBlocksIsRefused() {
        ConfigException e = error(MINIMAL.replace("1GiB", "1000"));
        assertTrue(e.getMessage().contains("multiple of the block size"), e.getMessage());
    }

    @Test
    void invalidIqnIsRefused() {
        ConfigException e = error(MINIMAL.replace("iqn.2026-11.org.example:a", "my-target"));
        assertEquals("targets[0].iqn", e.key());
        assertEquals(2, e.line());
    }

    @Test
    void duplicateLunNumberIsRefused() {
        ConfigException e = error(MINIMAL + """
                      - lun: 0
                        path: b.img
                        size: 1MiB
                """);
        assertTrue(e.getMessage().contains("LUN 0 is defined twice"), e.getMessage());
    }

    @Test
    void twoLunsOnOneBackingFileAreRefused() {
        ConfigException e = error(MINIMAL + """
                      - lun: 1
                        path: a.img
                        size: 1MiB
                """);
        assertTrue(e.getMessage().contains("backs another LUN"), e.getMessage());
    }

    @Test
    void missingSizeForANewFileIsRequired() {
        ConfigException e = error(MINIMAL.replace("        size: 1GiB\n", ""));
        assertTrue(e.getMessage().contains("size") && e.getMessage().contains("is required"), e.getMessage());
    }

    @Test
    void existingFileNeedsNoSize() throws Exception {
        Files.write(dir.resolve("a.img"), new byte[4096]);
        ServerConfig c = parse(MINIMAL.replace("        size: 1GiB\n", ""));
        assertEquals(0, c.targets().get(0).luns().get(0).sizeBytes());
    }

    @Test
    void malformedYamlReportsTheLine() {
        ConfigException e = error("targets:\n  - iqn: [unclosed\n");
        assertTrue(e.line() > 0, e.getMessage());
        assertTrue(e.getMessage().contains("not valid YAML"), e.getMessage());
    }

    @Test
    void badPortalIsRefused() {
        ConfigException e = error("portals: [\"127.0.0.1:99999\"]\n" + MINIMAL);
        assertEquals("portals[0]", e.key());
    }

    @Test
    void missingFileIsNamed() {
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(dir.resolve("nope.yaml")));
        assertTrue(e.getMessage().contains("nope.yaml") && e.getMessage().contains("does not exist"));
    }

    @Test
    void sizesParseBinaryUnits() {
        assertEquals(1L << 30, Sizes.parse("1GiB"));
        assertEquals(512L << 20, Sizes.parse("512M"));
        assertEquals(4096, Sizes.parse("4096"));
        assertEquals("64MiB", Sizes.format(64L << 20));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse("12XB"));
    }
}
