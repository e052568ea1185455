package lab.epoll.jmh.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import lab.epoll.jmh.ModeRun;
import lab.epoll.jmh.RunMode;
import org.openjdk.jmh.runner.RunnerException;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The harness's command line: picocli reads the lab's commands and options, JMH reads the rest
 * ({@link JmhOptions}). Each {@link RunMode} is a command ({@code --curve}), as are {@code --compare},
 * {@code --profile} and {@code --merge-latencies}; without one the harness runs {@link RunMode#QUICK}. Exit codes:
 * 0 done, 1 a trial failed (one line), 2 a mistake on the command line (one line, no stack trace).
 */
public final class HarnessCli {
    public static final int EXIT_RUN_FAILED = 1;
    public static final int EXIT_USAGE = 2;
    static final String NAME = "benchmarks.jar";

    private HarnessCli() {}

    /** The harness and its commands, ready to parse. */
    static CommandLine commandLine() {
        CommandLine harness = new CommandLine(new ModeCommand(RunMode.QUICK)).setCommandName(NAME);
        harness.getCommandSpec()
                .usageMessage()
                .description(HelpText.escaped("Runs the lab's benchmarks: each trial starts a server variant as"
                        + " its own JVM and measures it from outside, server and client on disjoint CPUs. The same"
                        + " arguments run as java -jar jmh/target/benchmarks.jar ARGS and as mvn -pl jmh exec:java"
                        + " -Dexec.args='ARGS'. Without a command it is the quick run (--quick). The command may"
                        + " stand anywhere on the line; COMMAND --help gives its defaults."))
                .exitCodeListHeading("%nExit codes:%n")
                .exitCodeList(exitCodes());
        // Before the commands are added: picocli hands the harness's order of help sections down to them.
        HelpText.forHarness(harness);
        for (RunMode mode : RunMode.values()) {
            CommandLine command = new CommandLine(new ModeCommand(mode));
            command.getCommandSpec().usageMessage().header(HelpText.escaped(mode.description()));
            HelpText.forMode(command, mode);
            harness.addSubcommand(mode.flag(), command);
        }
        CommandLine compare = new CommandLine(new CompareCommand());
        CompareCommand.addScenarioOptions(compare.getCommandSpec());
        HelpText.forCompare(compare);
        harness.addSubcommand("--compare", compare);
        CommandLine profile = new CommandLine(new ProfileCommand());
        HelpText.forProfile(profile);
        harness.addSubcommand("--profile", profile);
        harness.addSubcommand("--merge-latencies", new MergeLatenciesCommand());
        // Set after the commands are added, so that each has them: JMH's options reach the commands in order,
        // -p clients=50 as two positional arguments rather than an unknown option and a parameter.
        harness.setUnmatchedOptionsArePositionalParams(true)
                .setExpandAtFiles(false)
                .setUsageHelpAutoWidth(true)
                .setParameterExceptionHandler((e, args) -> usageError(e))
                .setExecutionExceptionHandler((e, command, parsed) -> {
                    if (e instanceof RunnerException) {
                        PrintWriter err = command.getErr();
                        err.println("[lab] the run stopped: " + ModeRun.rootMessage(e));
                        err.flush();
                        return EXIT_RUN_FAILED;
                    }
                    throw e;
                });
        return harness;
    }

    private static Map<String, String> exitCodes() {
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put("0", "done");
        codes.put(String.valueOf(EXIT_RUN_FAILED), "a trial failed, or its server (one line says why)");
        codes.put(String.valueOf(EXIT_USAGE), "a mistake on the command line (one line says which)");
        return codes;
    }

    /** Runs the command line; returns the exit code. Output and errors go to {@code out} and {@code err}. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine harness = commandLine().setOut(out).setErr(err);
        String[] ordered;
        try {
            ordered = commandFirst(harness, args);
        } catch (ParameterException e) {
            return usageError(e);
        }
        return harness.execute(ordered);
    }

    /**
     * Reads the command line as {@link #execute} would, and checks it, starting nothing: the command it names,
     * or a {@link ParameterException} saying what is wrong.
     */
    static HarnessCommand parse(String... args) {
        CommandLine harness = commandLine();
        ParseResult parsed = harness.parseArgs(commandFirst(harness, args));
        while (parsed.hasSubcommand()) {
            parsed = parsed.subcommand();
        }
        HarnessCommand command = parsed.commandSpec().commandLine().getCommand();
        if (!parsed.isUsageHelpRequested()) {
            command.validate();
        }
        return command;
    }

    /**
     * The arguments with the command first: picocli reads a command's options after its word, and the lab's
     * docs name it anywhere ({@code EchoBenchmark --compare lt,et}). A word of another command that is an option
     * of this one stays an option ({@code --newcomers --compare lt,et}); two commands are a mistake.
     */
    static String[] commandFirst(CommandLine harness, String[] args) {
        Map<String, CommandLine> commands = harness.getSubcommands();
        List<Integer> words = IntStream.range(0, args.length)
                .filter(i -> commands.containsKey(args[i]))
                .boxed()
                .toList();
        if (words.isEmpty()) {
            return args;
        }
        List<Integer> first = words.stream()
                .filter(i -> words.stream()
                        .allMatch(j -> j.equals(i)
                                || commands.get(args[i]).getCommandSpec().findOption(args[j]) != null))
                .toList();
        if (first.size() != 1) {
            throw new ParameterException(
                    harness,
                    words.stream().map(i -> args[i]).collect(Collectors.joining(" and "))
                            + " are two commands: give one");
        }
        int at = first.get(0);
        List<String> ordered = new ArrayList<>(List.of(args).subList(at, args.length));
        ordered.addAll(List.of(args).subList(0, at));
        return ordered.toArray(String[]::new);
    }

    /** One line, {@code jmh: MISTAKE (see --compare --help)}; returns the exit code for it. */
    private static int usageError(ParameterException e) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println("jmh: " + e.getMessage() + " (see " + helpOf(e.getCommandLine()) + ")");
        err.flush();
        return EXIT_USAGE;
    }

    /** {@code --help}, or {@code --compare --help}: where the help for a mistake in this command is. */
    private static String helpOf(CommandLine command) {
        return command.getParent() == null ? "--help" : command.getCommandName() + " --help";
    }
}
