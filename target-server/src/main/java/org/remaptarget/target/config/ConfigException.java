package org.remaptarget.target.config;

/**
 * A configuration that cannot be used, with the place to fix it: file, key path and line. The message is meant for
 * the operator as is (no stack trace is shown to the user).
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String file;
    private final String key;
    private final int line;

    public ConfigException(String file, String key, int line, String problem) {
        super(format(file, key, line, problem));
        this.file = file;
        this.key = key;
        this.line = line;
    }

    private static String format(String file, String key, int line, String problem) {
        StringBuilder sb = new StringBuilder(file == null ? "<config>" : file);
        if (line > 0) {
            sb.append(':').append(line);
        }
        if (key != null && !key.isEmpty()) {
            sb.append(": key '").append(key).append('\'');
        }
        return sb.append(": ").append(problem).toString();
    }

    public String file() {
        return file;
    }

    public String key() {
        return key;
    }

    /** 1-based line, or 0 when unknown. */
    public int line() {
        return line;
    }
}
