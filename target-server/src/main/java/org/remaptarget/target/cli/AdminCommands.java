package org.remaptarget.target.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The operator subcommands that act on a running server through its admin API: status, stats, remap, fault,
 * scrub. Exit codes: 0 done, 1 server-side failure, 2 bad request, 3 server not reachable, 4 the server's TLS
 * certificate is not the pinned one.
 */
final class AdminCommands {
    private AdminCommands() {
    }

    /** Runs {@code body}, printing failures as one line and mapping them to exit codes. */
    abstract static class Base implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        AdminOptions admin;

        @Override
        public Integer call() {
            try {
                run(admin.client(), spec.commandLine().getOut());
                spec.commandLine().getOut().flush();
                return 0;
            } catch (AdminClient.Failure f) {
                spec.commandLine().getErr().println("remap-target " + spec.name() + ": " + f.getMessage());
                return f.exitCode;
            }
        }

        abstract void run(AdminClient c, PrintWriter out) throws AdminClient.Failure;
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Show portals, sessions, and every LUN's health, remaps, pending blocks and spare use.")
    static final class Status extends Base {
        @Override
        void run(AdminClient c, PrintWriter out) throws AdminClient.Failure {
            out.println(pretty(c.get("v1/status")));
        }
    }

    @Command(name = "stats", mixinStandardHelpOptions = true,
            description = "Show one LUN's counters (reads, errors, retries, remaps, spares, metadata generations).")
    static final class Stats extends Base {
        @Override
        void run(AdminClient c, PrintWriter out) throws AdminClient.Failure {
            out.println(pretty(c.get(admin.lunPath(c) + "stats")));
        }
    }

    @Command(name = "remap", mixinStandardHelpOptions = true, description = "List or change remapped blocks.",
            subcommands = {RemapList.class, RemapAdd.class, RemapClearPending.class})
    static final class Remap {
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List remapped LBAs and pending blocks.")
    static final class RemapList extends Base {
        @Override
        void run(AdminClient c, PrintWriter out) throws AdminClient.Failure {
            String json = c.get(admin.lunPath(c) + "remaps");
            Matcher m = Pattern.compile("\\{\"lba\":(\\d+),\"spare\":(\\d+)}").matcher(json);
            int n = 0;
            out.printf("%-16s %s%n", "LBA", "SPARE");
            while (m.find()) {
                out.printf("%-16s %s%n", m.group(1), m.group(2));
                n++;
            }
            Matcher p = Pattern.compile("\"pending\":\\[([0-9,]*)]").matcher(json);
            String pending = p.find() ? p.group(1) : "";
            out.println(n + " remapped block(s); pending: " + (pending.isEmpty() ? "none" : pending));
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Remap an LBA now (its data is copied to the spare when readable).")
    static final class RemapAdd extends Base {
        @Parameters(paramLabel = "LBA", description = "The block to remap.")
        long lba;

        @Override
        void run(AdminClient c, PrintWriter out) throws AdminClient.Failure {
            String json = c.send("POST", admin.lunPath(c) + "remaps", Map.of("lba", Long.toString(lba)));
            out.println("LBA " + lba + " now lives on spare " + AdminClient.field(json, "spare"));
        }
    }

    @Command(name = "clear-pending", mixinStandardHelpOptions = true,
            description = "Forget a pending (unreadable) mark without writing the block.")
    static final class RemapClearPending extends Base {
        @Parameters(paramLabel = "LBA")
        long lba;

        @Override
        void run(AdminClient c, PrintWriter out) throws AdminClient.Failure {
            String json = c.send("POST", admin.lunPath(c) + "pending/clear", Map.of("lba", Long.toString(lba)));
            out.println("true".equals(AdminClient.field(json, "cleared")) ? "LBA " + lba + ": pending mark cleared"
                    : "LBA " + lba + " was not pending");
        }
    }

    @Command(name = "fault", mixinStandardHelpOptions = true,
            description = "Fault-injection drills on a LUN's backing device (below the remap engine).",
            subcommands = {FaultAdd.class, FaultList.class, FaultClear.class})
    static final class Fault {
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a fault rule; prints its id.")
    static final class FaultAdd extends Base {
        @Option(names = "--op", required = true, paramLabel = "OPS",
                description = "read, write, flush, discard (comma-separated)")
        String op;
        @Option(names = "--lba", defaultValue = "0", description = "First LBA of the range (default 0).")
        long lba;
        @Option(names = "--blocks", defaultValue = "1", description = "Blocks in the range, or 'all' (default 1).")
        String blocks;
        @Option(names = "--trigger", defaultValue = "always",
                description = "always | one-in:N[:SEED] | after:N | fail-then-heal:N | flakey:UP_MS:DOWN_MS")
        String trigger;
        @Option(names = "--outcome", required = true,
                description = "medium-error | io-error | latency:MS | corrupt | drop-flush | power-cut")
        String outcome;
        @Option(names = "--max", defaultValue = "0", description = "Stop after this many firings (0 = never).")
        long max;

        @Override
        void run(AdminClient c, PrintWriter out) throws AdminClient.Failure {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("op", op);
            p.put("lba", Long.toString(lba));
            p.put("blocks", blocks);
            p.put("trigger", trigger);
            p.put("outcome", outcome);
            p.put("max", Long.toString(max));
            String json = c.send("POST", admin.lunPath(c) + "faults", p);
            out.println("fault rule " + AdminClient.field(json, "id") + " added");
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List fault rules and their firings.")
    static final class FaultList extends Base {
        @Override
        void run(AdminClient c, PrintWriter out) throws AdminClient.Failure {
            String json = c.get(admin.lunPath(c) + "faults");
            Matcher m = Pattern.compile("\\{\"id\":(\\d+),\"rule\":\"([^\"]*)\",\"matchingCalls\":(\\d+),"
                    + "\"firings\":(\\d+)}").matcher(json);
            int n = 0;
            while (m.find()) {
                out.printf("%s  %s  (calls %s, fired %s)%n", m.group(1), m.group(2), m.group(3), m.group(4));
                n++;
            }
            if (n == 0) {
                out.println("no fault rules");
            }
        }
    }

    @Command(name = "clear", mixinStandardHelpOptions = true, description = "Remove one fault rule, or all.")
    static final class FaultClear extends Base {
        @Option(names = "--id", description = "The rule to remove (default: all).")
        Long id;

        @Override
        void run(AdminClient c, PrintWriter out) throws AdminClient.Failure {
            c.send("DELETE", admin.lunPath(c) + "faults", id == null ? Map.of() : Map.of("id", id.toString()));
            out.println(id == null ? "all fault rules removed" : "fault rule " + id + " removed");
        }
    }

    @Command(name = "scrub", mixinStandardHelpOptions = true,
            description = "Patrol-read a LUN's data and spare areas, marking unreadable blocks pending.",
            subcommands = {ScrubStart.class, ScrubStatus.class, ScrubStop.class})
    static final class Scrub {
    }

    @Command(name = "start", mixinStandardHelpOptions = true, description = "Start a scrub.")
    static final class ScrubStart extends Base {
        @Option(names = "--rate", defaultValue = "20000", description = "Blocks per second (default 20000).")
        long rate;
        @Option(names = "--wait", description = "Show a progress bar until the scrub ends.")
        boolean await;

        @Override
        void run(AdminClient c, PrintWriter out) throws AdminClient.Failure {
            String json = c.send("POST", admin.lunPath(c) + "scrub/start", Map.of("rate", Long.toString(rate)));
            if (await) {
                ScrubStatus.follow(c, admin.lunPath(c), out);
            } else {
                out.println(ScrubStatus.line(json));
            }
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show scrub progress.")
    static final class ScrubStatus extends Base {
        @Option(names = "--wait", description = "Show a progress bar until the scrub ends.")
        boolean await;

        @Override
        void run(AdminClient c, PrintWriter out) throws AdminClient.Failure {
            if (await) {
                follow(c, admin.lunPath(c), out);
            } else {
                out.println(line(c.get(admin.lunPath(c) + "scrub")));
            }
        }

        static String line(String json) {
            int pct = Integer.parseInt(AdminClient.field(json, "percent"));
            int filled = pct * 30 / 100;
            return String.format("[%s%s] %3d%%  %s/%s blocks, %s unreadable, %s", "#".repeat(filled),
                    " ".repeat(30 - filled), pct, AdminClient.field(json, "blocksDone"),
                    AdminClient.field(json, "blocksTotal"), AdminClient.field(json, "errorsFound"),
                    AdminClient.field(json, "state"));
        }

        static void follow(AdminClient c, String lunPath, PrintWriter out) throws AdminClient.Failure {
            for (int i = 0; i < 864_000; i++) {            // at most a day of 100 ms polls
                String json = c.get(lunPath + "scrub");
                out.print("\r" + line(json));
                out.flush();
                if (!"RUNNING".equals(AdminClient.field(json, "state"))) {
                    break;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            out.println();
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop a running scrub.")
    static final class ScrubStop extends Base {
        @Override
        void run(AdminClient c, PrintWriter out) throws AdminClient.Failure {
            out.println(ScrubStatus.line(c.send("POST", admin.lunPath(c) + "scrub/stop", Map.of())));
        }
    }

    /** Indents a compact JSON document for people. */
    static String pretty(String json) {
        StringBuilder sb = new StringBuilder();
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char ch = json.charAt(i);
            if (inString) {
                sb.append(ch);
                if (ch == '\\' && i + 1 < json.length()) {
                    sb.append(json.charAt(++i));
                } else if (ch == '"') {
                    inString = false;
                }
                continue;
            }
            switch (ch) {
                case '"' -> {
                    inString = true;
                    sb.append(ch);
                }
                case '{', '[' -> {
                    depth++;
                    sb.append(ch).append('\n').append("  ".repeat(depth));
                }
                case '}', ']' -> {
                    depth--;
                    sb.append('\n').append("  ".repeat(Math.max(0, depth))).append(ch);
                }
                case ',' -> sb.append(",\n").append("  ".repeat(depth));
                case ':' -> sb.append(": ");
                case '\n' -> { }
                default -> sb.append(ch);
            }
        }
        return sb.toString();
    }
}
