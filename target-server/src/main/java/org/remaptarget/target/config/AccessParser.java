package org.remaptarget.target.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;

/**
 * Parses the security keys of the configuration (target {@code chap}, {@code mutual-chap},
 * {@code allowed-initiators}, {@code allowed-networks}, {@code lun-masks}; top-level {@code discovery-chap},
 * {@code discovery-mutual-chap}, {@code chap-allow-md5}, {@code limits}). Every error names file, key path and
 * line, and never contains a secret. Stateless apart from the file name.
 */
final class AccessParser extends YamlNodes {
    static final Set<String> TARGET_KEYS = Set.of("chap", "mutual-chap", "allowed-initiators", "allowed-networks",
            "lun-masks");
    static final Set<String> TOP_KEYS = Set.of("discovery-chap", "discovery-mutual-chap", "chap-allow-md5",
            "limits");
    static final int MIN_SECRET = 12;
    static final int MAX_SECRET = 255;

    private final Function<String, Boolean> isIqn;

    AccessParser(String file, Function<String, Boolean> isIqn) {
        super(file);
        this.isIqn = isIqn;
    }

    AccessConfig target(Map<String, Node> m, String path) throws ConfigException {
        ChapCredential chap = m.containsKey("chap") ? credential(m.get("chap"), path + ".chap") : null;
        ChapCredential mutual = m.containsKey("mutual-chap")
                ? credential(m.get("mutual-chap"), path + ".mutual-chap") : null;
        checkMutual(chap, mutual, m.get("mutual-chap"), path + ".mutual-chap");
        List<String> initiators = new ArrayList<>();
        if (m.containsKey("allowed-initiators")) {
            List<Node> items = sequence(m.get("allowed-initiators"), path + ".allowed-initiators");
            for (int i = 0; i < items.size(); i++) {
                String p = path + ".allowed-initiators[" + i + "]";
                String iqn = scalar(items.get(i), p);
                if (!isIqn.apply(iqn)) {
                    throw error(p, items.get(i), "'" + iqn + "' is not an iSCSI name");
                }
                initiators.add(iqn);
            }
        }
        List<String> networks = new ArrayList<>();
        if (m.containsKey("allowed-networks")) {
            List<Node> items = sequence(m.get("allowed-networks"), path + ".allowed-networks");
            for (int i = 0; i < items.size(); i++) {
                String p = path + ".allowed-networks[" + i + "]";
                String cidr = scalar(items.get(i), p);
                String problem = cidrProblem(cidr);
                if (problem != null) {
                    throw error(p, items.get(i), problem);
                }
                networks.add(cidr.trim());
            }
        }
        Map<String, List<Long>> masks = new LinkedHashMap<>();
        if (m.containsKey("lun-masks")) {
            Node node = m.get("lun-masks");
            String p = path + ".lun-masks";
            if (!(node instanceof MappingNode mn)) {
                throw error(p, node, "must map initiator IQNs to lists of LUNs");
            }
            for (NodeTuple t : mn.getValue()) {
                String iqn = scalar(t.getKeyNode(), p);
                if (!isIqn.apply(iqn)) {
                    throw error(p + "." + iqn, t.getKeyNode(), "'" + iqn + "' is not an iSCSI name");
                }
                List<Long> luns = new ArrayList<>();
                for (Node n : sequence(t.getValueNode(), p + "." + iqn)) {
                    luns.add(integer(n, p + "." + iqn, 0, 16383));
                }
                masks.put(iqn, luns);
            }
        }
        return new AccessConfig(chap, mutual, initiators, networks, masks);
    }

    SecurityConfig top(Map<String, Node> top) throws ConfigException {
        ChapCredential chap = top.containsKey("discovery-chap")
                ? credential(top.get("discovery-chap"), "discovery-chap") : null;
        ChapCredential mutual = top.containsKey("discovery-mutual-chap")
                ? credential(top.get("discovery-mutual-chap"), "discovery-mutual-chap") : null;
        checkMutual(chap, mutual, top.get("discovery-mutual-chap"), "discovery-mutual-chap");
        boolean md5 = false;
        if (top.containsKey("chap-allow-md5")) {
            String s = scalar(top.get("chap-allow-md5"), "chap-allow-md5").trim().toLowerCase();
            md5 = switch (s) {
                case "true", "yes", "on" -> true;
                case "false", "no", "off" -> false;
                default -> throw error("chap-allow-md5", top.get("chap-allow-md5"), "'" + s + "' is not true or false");
            };
        }
        LimitsConfig limits = top.containsKey("limits") ? limits(top.get("limits")) : LimitsConfig.DEFAULTS;
        return new SecurityConfig(new AccessConfig(chap, mutual, List.of(), List.of(), Map.of()), md5, limits);
    }

    private LimitsConfig limits(Node node) throws ConfigException {
        Map<String, Node> m = mapping(node, "limits", Set.of("max-sessions", "max-sessions-per-target",
                "max-connections-per-session", "command-window", "max-recv-data-segment-length",
                "login-timeout", "nop-in-interval", "nop-in-timeout", "max-write-buffer"));
        return new LimitsConfig(
                intOrNull(m, "max-sessions", 1, 65535),
                intOrNull(m, "max-sessions-per-target", 1, 65535),
                intOrNull(m, "max-connections-per-session", 1, 1),
                intOrNull(m, "command-window", 1, 65536),
                intOrNull(m, "max-recv-data-segment-length", 512, 16777215),
                intOrNull(m, "login-timeout", 1, 3600),
                intOrNull(m, "nop-in-interval", 1, 3600),
                intOrNull(m, "nop-in-timeout", 1, 3600),
                m.containsKey("max-write-buffer") ? size(m.get("max-write-buffer"), "limits.max-write-buffer") : null);
    }

    private Integer intOrNull(Map<String, Node> m, String key, int min, int max) throws ConfigException {
        return m.containsKey(key) ? (int) integer(m.get(key), "limits." + key, min, max) : null;
    }

    private void checkMutual(ChapCredential chap, ChapCredential mutual, Node node, String path)
            throws ConfigException {
        if (mutual == null) {
            return;
        }
        if (chap == null) {
            throw error(path, node, "mutual CHAP needs the initiator's CHAP credential too");
        }
        if (chap.secret().equals(mutual.secret())) {
            throw error(path, node, "the mutual CHAP secret must differ from the initiator's secret");
        }
    }

    private ChapCredential credential(Node node, String path) throws ConfigException {
        Map<String, Node> m = mapping(node, path, Set.of("user", "secret"));
        if (!m.containsKey("user")) {
            throw error(path + ".user", node, "is required");
        }
        if (!m.containsKey("secret")) {
            throw error(path + ".secret", node, "is required");
        }
        String user = scalar(m.get("user"), path + ".user");
        if (user.isEmpty() || user.length() > 255) {
            throw error(path + ".user", m.get("user"), "must be 1 to 255 characters");
        }
        String secret = scalar(m.get("secret"), path + ".secret");
        int n = secret.getBytes(StandardCharsets.UTF_8).length;
        if (n < MIN_SECRET || n > MAX_SECRET) {
            throw error(path + ".secret", m.get("secret"), "must be " + MIN_SECRET + " to " + MAX_SECRET
                    + " bytes long (RFC 7143 §12.1.3 asks for at least 96 bits); it is " + n);
        }
        return new ChapCredential(user, secret);
    }

    /** Why {@code text} is not "address[/prefix]" with a numeric address, or null. */
    static String cidrProblem(String text) {
        String s = text.trim();
        int slash = s.indexOf('/');
        String addr = slash < 0 ? s : s.substring(0, slash);
        if (addr.isEmpty() || !addr.matches("[0-9A-Fa-f:.]+")) {
            return "'" + text + "' is not ADDRESS[/PREFIX] with a numeric address";
        }
        int bits;
        try {
            bits = InetAddress.getByName(addr).getAddress().length * 8;
        } catch (UnknownHostException e) {
            return "'" + text + "' is not a numeric address";
        }
        if (slash >= 0) {
            try {
                int prefix = Integer.parseInt(s.substring(slash + 1));
                if (prefix < 0 || prefix > bits) {
                    return "prefix length in '" + text + "' must be 0.." + bits;
                }
            } catch (NumberFormatException e) {
                return "bad prefix length in '" + text + "'";
            }
        }
        return null;
    }







}
