package org.remaptarget.target.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Typed reads of YAML nodes for the configuration parsers: each failure is a {@link ConfigException} naming the
 * file, the key path and the line. Holds only the file name; shared by {@link ConfigLoader} and the security-key
 * parser so both report mistakes the same way.
 */
class YamlNodes {
    final String file;

    YamlNodes(String file) {
        this.file = file;
    }

    final Map<String, Node> mapping(Node node, String path, Set<String> allowed) throws ConfigException {
        if (!(node instanceof MappingNode mn)) {
            throw error(path, node, "must be a mapping of keys to values");
        }
        Map<String, Node> out = new LinkedHashMap<>();
        for (NodeTuple t : mn.getValue()) {
            String key = scalar(t.getKeyNode(), path);
            String full = path.isEmpty() ? key : path + "." + key;
            if (!allowed.contains(key)) {
                throw error(full, t.getKeyNode(), "unknown key (allowed here: " + String.join(", ",
                        allowed.stream().sorted().toList()) + ")");
            }
            out.put(key, t.getValueNode());
        }
        return out;
    }

    final List<Node> sequence(Node node, String path) throws ConfigException {
        if (!(node instanceof SequenceNode sn)) {
            throw error(path, node, "must be a list");
        }
        return sn.getValue();
    }

    final Node require(Map<String, Node> m, String key, Node parent, String path) throws ConfigException {
        Node n = m.get(key);
        if (n == null) {
            throw error(path.isEmpty() ? key : path + "." + key, parent, "is required");
        }
        return n;
    }

    final String scalar(Node node, String path) throws ConfigException {
        if (!(node instanceof ScalarNode sn)) {
            throw error(path, node, "must be a single value");
        }
        return sn.getValue();
    }

    final long integer(Node node, String path, long min, long max) throws ConfigException {
        String s = scalar(node, path);
        long v;
        try {
            v = Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw error(path, node, "'" + s + "' is not an integer");
        }
        if (v < min || v > max) {
            throw error(path, node, v + " is outside " + min + ".." + max);
        }
        return v;
    }

    final long size(Node node, String path) throws ConfigException {
        String s = scalar(node, path);
        try {
            return Sizes.parse(s);
        } catch (IllegalArgumentException e) {
            throw error(path, node, e.getMessage());
        }
    }

    final boolean bool(Node node, String path) throws ConfigException {
        String s = scalar(node, path).trim().toLowerCase();
        return switch (s) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw error(path, node, "'" + s + "' is not true or false");
        };
    }

    final ConfigException error(String key, Node node, String problem) {
        int line = node == null ? 0 : node.getStartMark().map(Mark::getLine).map(l -> l + 1).orElse(0);
        return new ConfigException(file, key, line, problem);
    }
}
