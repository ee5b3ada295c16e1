package org.remaptarget.target.config;

import java.io.IOException;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads the YAML configuration file (format in conf/remap-target.yaml and the README) into a {@link ServerConfig}.
 *
 * <p>Works on the YAML node tree so every error names the file, the key path (e.g. {@code targets[0].luns[1].size})
 * and the line. Unknown keys are errors (a typo must not silently fall back to a default). Relative paths are
 * resolved against the directory of the configuration file. Stateless.
 */
public final class ConfigLoader {
    private static final Pattern IQN = Pattern.compile(
            "(iqn\\.\\d{4}-\\d{2}\\.[a-z0-9][a-z0-9.-]*(:[^\\s]+)?)|(eui\\.[0-9A-Fa-f]{16})|(naa\\.[0-9A-Fa-f]{16,32})");

    /** Loads and validates {@code file}. */
    public ServerConfig load(Path file) throws ConfigException {
        String name = file.toString();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(name, null, 0, "file does not exist");
        } catch (IOException e) {
            throw new ConfigException(name, null, 0, "cannot read: " + e.getMessage());
        }
        Path base = file.toAbsolutePath().getParent();
        return parse(name, text, base);
    }

    /** Parses configuration text; {@code baseDir} resolves relative paths. */
    public ServerConfig parse(String name, String text, Path baseDir) throws ConfigException {
        Node root;
        try {
            LoadSettings settings = LoadSettings.builder().setLabel(name).setAllowDuplicateKeys(false)
                    .setMaxAliasesForCollections(10).build();
            Optional<Node> node = new Compose(settings).composeString(text);
            if (node.isEmpty()) {
                throw new ConfigException(name, null, 0, "the file is empty");
            }
            root = node.get();
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
            throw new ConfigException(name, null, line, "not valid YAML: " + e.getProblem());
        } catch (YamlEngineException e) {
            throw new ConfigException(name, null, 0, "not valid YAML: " + e.getMessage());
        }
        return new Walker(name, baseDir).server(root);
    }

    /** Walks the node tree; holds the file name for messages. */
    private static final class Walker extends YamlNodes {
        private final Path baseDir;
        private final AccessParser access;

        Walker(String file, Path baseDir) {
            super(file);
            this.baseDir = baseDir;
            this.access = new AccessParser(file, s -> IQN.matcher(s).matches());
        }

        ServerConfig server(Node root) throws ConfigException {
            Set<String> topKeys = new HashSet<>(Set.of("portals", "targets"));
            topKeys.addAll(AccessParser.TOP_KEYS);
            Map<String, Node> top = mapping(root, "", topKeys);
            SecurityConfig security = access.top(top);
            List<InetSocketAddress> portals = new ArrayList<>();
            Node portalsNode = top.get("portals");
            if (portalsNode == null) {
                portals.add(new InetSocketAddress("127.0.0.1", 3260));
            } else {
                List<Node> items = sequence(portalsNode, "portals");
                for (int i = 0; i < items.size(); i++) {
                    portals.add(portal(items.get(i), "portals[" + i + "]"));
                }
                if (portals.isEmpty()) {
                    throw error("portals", portalsNode, "at least one portal is needed");
                }
            }
            Node targetsNode = require(top, "targets", root, "");
            List<Node> items = sequence(targetsNode, "targets");
            if (items.isEmpty()) {
                throw error("targets", targetsNode, "at least one target is needed");
            }
            List<TargetConfig> targets = new ArrayList<>();
            Set<String> iqns = new HashSet<>();
            Set<Path> paths = new HashSet<>();
            for (int i = 0; i < items.size(); i++) {
                TargetConfig t = target(items.get(i), "targets[" + i + "]", paths);
                if (!iqns.add(t.iqn().toLowerCase())) {
                    throw error("targets[" + i + "].iqn", items.get(i), "target " + t.iqn() + " is defined twice");
                }
                targets.add(t);
            }
            return new ServerConfig(file, portals, targets, security);
        }

        private TargetConfig target(Node node, String path, Set<Path> allPaths) throws ConfigException {
            Set<String> targetKeys = new HashSet<>(Set.of("iqn", "alias", "luns"));
            targetKeys.addAll(AccessParser.TARGET_KEYS);
            Map<String, Node> m = mapping(node, path, targetKeys);
            Node iqnNode = require(m, "iqn", node, path);
            String iqn = scalar(iqnNode, path + ".iqn");
            if (!IQN.matcher(iqn).matches()) {
                throw error(path + ".iqn", iqnNode, "'" + iqn
                        + "' is not an iSCSI name (iqn.YYYY-MM.reversed.domain[:id], eui.<16 hex>, naa.<hex>)");
            }
            String alias = m.containsKey("alias") ? scalar(m.get("alias"), path + ".alias") : null;
            Node lunsNode = require(m, "luns", node, path);
            List<Node> items = sequence(lunsNode, path + ".luns");
            if (items.isEmpty()) {
                throw error(path + ".luns", lunsNode, "a target needs at least one LUN");
            }
            List<LunConfig> luns = new ArrayList<>();
            Set<Integer> numbers = new HashSet<>();
            for (int i = 0; i < items.size(); i++) {
                String lp = path + ".luns[" + i + "]";
                LunConfig lun = lun(items.get(i), lp);
                if (!numbers.add(lun.lun())) {
                    throw error(lp + ".lun", items.get(i), "LUN " + lun.lun() + " is defined twice in " + iqn);
                }
                if (!allPaths.add(lun.path().toAbsolutePath().normalize())) {
                    throw error(lp + ".path", items.get(i), lun.path() + " backs another LUN already");
                }
                luns.add(lun);
            }
            luns.sort((a, b) -> Integer.compare(a.lun(), b.lun()));
            return new TargetConfig(iqn, alias, luns, access.target(m, path));
        }

        private LunConfig lun(Node node, String path) throws ConfigException {
            Map<String, Node> m = mapping(node, path, Set.of("lun", "path", "size", "block-size", "serial",
                    "read-only", "passthrough", "spare", "spare-path", "health-threshold", "thin", "removable",
                    "spare-cache"));
            int lun = (int) integer(require(m, "lun", node, path), path + ".lun", 0, 16383);
            Path p = path(require(m, "path", node, path), path + ".path");
            long size = m.containsKey("size") ? size(m.get("size"), path + ".size") : 0;
            int bs = m.containsKey("block-size") ? (int) integer(m.get("block-size"), path + ".block-size", 512, 4096)
                    : 512;
            if (bs != 512 && bs != 4096) {
                throw error(path + ".block-size", m.get("block-size"), "must be 512 or 4096, not " + bs);
            }
            if (size % bs != 0) {
                throw error(path + ".size", m.get("size"), "must be a multiple of the block size " + bs);
            }
            if (size == 0 && !Files.exists(p)) {
                throw error(path + ".size", node, "is required: " + p + " does not exist yet");
            }
            String serial = m.containsKey("serial") ? scalar(m.get("serial"), path + ".serial") : null;
            if (serial != null && (serial.isEmpty() || serial.length() > 64 || !serial.chars().allMatch(
                    c -> c > 0x20 && c < 0x7f))) {
                throw error(path + ".serial", m.get("serial"), "must be 1..64 printable ASCII characters, no spaces");
            }
            boolean ro = m.containsKey("read-only") && bool(m.get("read-only"), path + ".read-only");
            boolean pt = m.containsKey("passthrough") && bool(m.get("passthrough"), path + ".passthrough");
            long spare = m.containsKey("spare") ? size(m.get("spare"), path + ".spare") : ServerConfig.DEMO_SPARE;
            if (spare % bs != 0) {
                throw error(path + ".spare", m.get("spare"), "must be a multiple of the block size " + bs);
            }
            Path sparePath = m.containsKey("spare-path") ? path(m.get("spare-path"), path + ".spare-path") : null;
            int threshold = m.containsKey("health-threshold")
                    ? (int) integer(m.get("health-threshold"), path + ".health-threshold", 1, 100) : 80;
            boolean thin = !m.containsKey("thin") || bool(m.get("thin"), path + ".thin");
            boolean removable = m.containsKey("removable") && bool(m.get("removable"), path + ".removable");
            long cache = m.containsKey("spare-cache") ? size(m.get("spare-cache"), path + ".spare-cache") : -1;
            return new LunConfig(lun, p, size, bs, serial, ro, pt, spare, sparePath, threshold, thin, removable,
                    cache);
        }

        private InetSocketAddress portal(Node node, String path) throws ConfigException {
            String s = scalar(node, path);
            int colon = s.lastIndexOf(':');
            String host = colon < 0 ? s : s.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port = 3260;
            if (colon >= 0) {
                try {
                    port = Integer.parseInt(s.substring(colon + 1));
                } catch (NumberFormatException e) {
                    port = -1;
                }
            }
            if (host.isEmpty() || port < 0 || port > 65535) {
                throw error(path, node, "'" + s + "' is not HOST:PORT (for example 127.0.0.1:3260)");
            }
            return new InetSocketAddress(host, port);
        }








        private Path path(Node node, String path) throws ConfigException {
            String s = scalar(node, path);
            if (s.isBlank()) {
                throw error(path, node, "must not be empty");
            }
            Path p = Path.of(s);
            return p.isAbsolute() || baseDir == null ? p : baseDir.resolve(p);
        }

    }

    /** Convenience for callers holding a reader (tests). */
    public ServerConfig parse(String name, Reader reader, Path baseDir) throws ConfigException, IOException {
        StringBuilder sb = new StringBuilder();
        char[] buf = new char[8192];
        int n;
        while ((n = reader.read(buf)) > 0) {
            sb.append(buf, 0, n);
        }
        return parse(name, sb.toString(), baseDir);
    }
}
