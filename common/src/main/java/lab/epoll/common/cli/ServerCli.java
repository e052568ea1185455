package lab.epoll.common.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import lab.epoll.catalog.ServerOption;
import lab.epoll.catalog.ServerOption.Group;
import lab.epoll.common.server.ServerStartException;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Runs a server command with the lab's exit-code contract:
 * <ul>
 *   <li>0: served, then shut down on a signal;</li>
 *   <li>1: could not run (port in use, permission denied, epoll unavailable): one line, no stack trace;</li>
 *   <li>2: bad command line (unknown option, bad value): one line naming the option, no stack trace.</li>
 * </ul>
 * A failure that is not the user's (a bug) still exits 1, but keeps its stack trace so it can be fixed.
 */
public final class ServerCli {
    public static final int EXIT_RUNTIME_FAILURE = 1;
    public static final int EXIT_USAGE = 2;

    private ServerCli() {}

    public static int execute(Object command, String... args) {
        return execute(command, null, null, args);
    }

    /**
     * {@link #execute(Object, String...)} with picocli's output and error writers given (null: its defaults,
     * System.out and System.err), so a test can run a command in process and read what it printed.
     */
    public static int execute(Object command, PrintWriter stdout, PrintWriter stderr, String... args) {
        CommandLine cli = new CommandLine(command)
                .setCaseInsensitiveEnumValuesAllowed(true)
                // The last of a repeated option wins, so a benchmark can override a variant's fixed flags.
                .setOverwrittenOptionsAllowed(true)
                .setUsageHelpAutoWidth(true);
        if (stdout != null) {
            cli.setOut(stdout);
        }
        if (stderr != null) {
            cli.setErr(stderr);
        }
        if (command instanceof EchoServerCommand server) {
            explainRefusals(cli.getCommandSpec(), server.refusedGroups());
        }
        completeFooter(cli.getCommandSpec(), command instanceof EchoServerCommand);
        String name = cli.getCommandName();
        cli.setParameterExceptionHandler((e, ignored) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println(name + ": " + e.getMessage() + " (see --help)");
            err.flush();
            return EXIT_USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ServerStartException) {
                PrintWriter err = commandLine.getErr();
                err.println(name + ": " + e.getMessage());
                err.flush();
                return EXIT_RUNTIME_FAILURE;
            }
            throw e;
        });
        return cli.execute(args);
    }

    /** How every server's DURATION and SIZE values are written, said once for all of them in --help. */
    static final List<String> VALUE_FORMATS = List.of(
            "",
            "DURATION: a whole number and a unit, us, ms, s, m or h (50us, 500ms, 2s, 1m), or 0 alone.",
            "SIZE: a whole number of bytes, or with k, m or g, which are binary (64k = 65,536 bytes); below 2 GiB.");

    /** What every server's exit status means, said once for all of them at the end of --help. */
    static final String EXIT_CODES = "Exit codes: 0 after a signal-driven shutdown, " + EXIT_RUNTIME_FAILURE
            + " when the server cannot run, " + EXIT_USAGE + " for a bad command line.";

    /**
     * Frames the command's own footer: {@link #VALUE_FORMATS} before it for a server with the shared options (the
     * bare server has no DURATION or SIZE to explain), {@link #EXIT_CODES} after it for every server.
     */
    private static void completeFooter(CommandSpec spec, boolean sharedOptions) {
        List<String> footer = new java.util.ArrayList<>(sharedOptions ? VALUE_FORMATS : List.of());
        footer.addAll(List.of(spec.usageMessage().footer()));
        footer.addAll(List.of("", EXIT_CODES));
        spec.usageMessage().footer(footer.toArray(String[]::new));
    }

    /** The heading of a command's refused options in its help: when they are refused. */
    private static final String REFUSED_WHENEVER_GIVEN =
            "Refused whenever given, even at the default value, and so not listed below:";

    /**
     * Takes the options of the groups a command never honours out of the usage, keeping them parseable (so they
     * are refused with a reason, not as unknown), and lists them after the description with their reasons.
     */
    private static void explainRefusals(CommandSpec spec, Map<Group, String> refused) {
        if (refused.isEmpty()) {
            return;
        }
        List<String> description = new ArrayList<>(List.of(spec.usageMessage().description()));
        description.add(REFUSED_WHENEVER_GIVEN);
        for (Group group : Group.values()) {
            if (refused.containsKey(group)) {
                group.options().forEach(option -> hideFromHelp(spec, option));
                description.add("  "
                        + group.options().stream().map(ServerOption::longName).collect(Collectors.joining(", ")) + ": "
                        + refused.get(group) + ".");
            }
        }
        spec.usageMessage().description(description.toArray(String[]::new));
    }

    private static void hideFromHelp(CommandSpec spec, ServerOption refused) {
        OptionSpec option = spec.findOption(refused.longName());
        if (option == null) {
            throw new IllegalArgumentException("no option " + refused + " to hide");
        }
        spec.remove(option);
        spec.addOption(option.toBuilder().hidden(true).build());
    }

    /** For {@code main}: runs the command and exits the JVM with its code. */
    public static void main(Object command, String... args) {
        int code;
        try {
            code = execute(command, args);
        } catch (Throwable bug) {
            // Not the user's doing: keep the trace, but exit. Returning from main would leave the JVM running on
            // its event-loop threads, serving nothing, until someone kills it.
            bug.printStackTrace();
            code = EXIT_RUNTIME_FAILURE;
        }
        System.exit(code);
    }
}
