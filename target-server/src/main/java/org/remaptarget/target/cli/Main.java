package org.remaptarget.target.cli;

import org.apache.logging.log4j.LogManager;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code remap-target} command line: the one composition root of the executable. Subcommands wire the server
 * through the public {@link org.remaptarget.target.api} package, so embedders and the CLI share one code path.
 * Exit codes: 0 success, 1 runtime failure, 2 bad usage or configuration, 3 admin API not reachable, 4 the admin
 * API's TLS certificate is not the pinned one.
 */
@Command(name = "remap-target", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "An iSCSI target whose LUNs keep failing disks in service by remapping bad blocks to spares.",
        subcommands = {ServeCommand.class, LunCommand.class, AdminCommands.Status.class, AdminCommands.Stats.class,
                AdminCommands.Remap.class, AdminCommands.Fault.class, AdminCommands.Scrub.class,
                picocli.AutoComplete.GenerateCompletion.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        int code = run(args);
        LogManager.shutdown();
        System.exit(code);
    }

    /** Runs the command line and returns its exit code (tests call this). */
    public static int run(String... args) {
        return run(null, null, args);
    }

    /** As {@link #run(String...)}, printing to {@code out} and {@code err} (null: standard out and err). */
    public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Main());
        if (out != null) {
            cl.setOut(out);
        }
        if (err != null) {
            cl.setErr(err);
        }
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("remap-target: " + ex.getMessage());
            return 1;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"remap-target " + (v == null ? "(development build)" : v)};
        }
    }
}
