package org.remaptarget.it;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Builds qemu-io command lines (several commands in one process: one iSCSI login) and reads their output. */
final class Qemu {
    private static final Pattern WROTE = Pattern.compile("wrote (\\d+)/(\\d+) bytes at offset (\\d+)");
    private static final Pattern READ = Pattern.compile("read (\\d+)/(\\d+) bytes at offset (\\d+)");

    private Qemu() {
    }

    /** {@code qemu-io -f raw -c C1 -c C2 ... URL}. */
    static String[] io(String url, List<String> commands) {
        List<String> cmd = new ArrayList<>(List.of("qemu-io", "-f", "raw"));
        for (String c : commands) {
            cmd.add("-c");
            cmd.add(c);
        }
        cmd.add(url);
        return cmd.toArray(String[]::new);
    }

    /** Offsets of every write the output reports complete ("wrote N/N bytes at offset O"). */
    static List<Long> wroteOffsets(String output) {
        return offsets(WROTE, output);
    }

    /** Offsets of every read the output reports complete. */
    static List<Long> readOffsets(String output) {
        return offsets(READ, output);
    }

    private static List<Long> offsets(Pattern p, String output) {
        List<Long> out = new ArrayList<>();
        Matcher m = p.matcher(output);
        while (m.find()) {
            if (m.group(1).equals(m.group(2))) {
                out.add(Long.parseLong(m.group(3)));
            }
        }
        return out;
    }

    /** The qemu iscsi driver's message for a failed command with this sense at {@code lba}. */
    static Pattern failure(String op, long lba, int senseKey, int ascq) {
        return Pattern.compile("iSCSI " + op + "\\S* failed at lba " + lba + ": SENSE KEY:\\S*\\(" + senseKey
                + "\\) ASCQ:\\S*\\(0x" + String.format("%04x", ascq) + "\\)");
    }
}
