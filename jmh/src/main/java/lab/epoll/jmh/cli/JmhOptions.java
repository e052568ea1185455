package lab.epoll.jmh.cli;

import java.io.IOException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lab.epoll.catalog.ServerVariant;
import lab.epoll.catalog.TrialParam;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * JMH's own options, passed through: what the lab does not own on a command line is JMH's, and JMH's
 * {@link CommandLineOptions} reads it, so every JMH option works as JMH documents it and wins over the lab's
 * defaults.
 */
final class JmhOptions {
    /** How each command's help names the pass-through. */
    static final String LABEL = "JMH-OPTION";

    static final String DESCRIPTION = "JMH's own options, which win over the defaults: a benchmark regex,"
            + " -p NAME=LIST, -f N, -wi N, -w DURATION, -i N, -r DURATION, -rff FILE, -prof NAME, -jvmArgsAppend"
            + " FLAGS, ...; -l lists the benchmarks, -lp with their parameters, -h is JMH's own help.";

    private static final Pattern UNKNOWN = Pattern.compile("(\\S+) is not a recognized option");

    private JmhOptions() {}

    /**
     * JMH's reading of {@code args}; a mistake, or a lab option given to a command it does not belong to
     * ({@code --curve --pairs 3}), is a {@link ParameterException}.
     */
    static CommandLineOptions parse(CommandSpec command, List<String> args) {
        for (String arg : args) {
            String name = arg.split("=", 2)[0];
            // JMH's options take one dash; a lab option with two that reached here belongs to another command.
            if (name.startsWith("--")) {
                List<String> owners = ownersOf(command.root(), name);
                if (!owners.isEmpty()) {
                    throw new ParameterException(
                            command.commandLine(),
                            "'" + name + "' is "
                                    + (owners.size() == 1 ? "an option of " + owners.get(0) + ", not" : "not an option")
                                    + " of " + shownName(command));
                }
            }
        }
        CommandLineOptions options;
        try {
            options = new CommandLineOptions(args.toArray(String[]::new));
        } catch (CommandLineOptionException e) {
            throw new ParameterException(command.commandLine(), said(e.getMessage(), args));
        }
        // JMH takes any value; a misspelt variant would fail each of its trials, minutes into the run.
        for (String variant : options.getParameter(TrialParam.VARIANT.field()).orElse(List.of())) {
            if (!ServerVariant.names().contains(variant)) {
                throw new ParameterException(
                        command.commandLine(),
                        "-p " + TrialParam.VARIANT.field() + ": no variant '" + variant + "'; known: "
                                + ServerVariant.names());
            }
        }
        return options;
    }

    /** JMH's message, with the option as the user wrote it: JMH's {@code tunning is not a recognized option}. */
    private static String said(String message, List<String> args) {
        Matcher unknown = UNKNOWN.matcher(message);
        if (unknown.matches()) {
            String name = unknown.group(1);
            return args.stream()
                    .filter(arg -> arg.matches("--?" + Pattern.quote(name) + "(=.*)?"))
                    .findFirst()
                    .map(arg -> "unknown option '" + arg.split("=", 2)[0] + "'")
                    .orElse(message);
        }
        return message;
    }

    /**
     * Does what JMH's listing options ask instead of a run ({@code -h}, {@code -l}, {@code -lp}, {@code -lprof},
     * {@code -lrf}); returns whether there was one.
     */
    static boolean listedInstead(CommandSpec command, CommandLineOptions user) throws RunnerException, IOException {
        if (user.shouldHelp()) {
            command.commandLine().usage(System.out);
            System.out.println();
            user.showHelp();
        } else if (user.shouldList()) {
            new Runner(user).list();
        } else if (user.shouldListWithParams()) {
            new Runner(user).listWithParams(user);
        } else if (user.shouldListProfilers()) {
            user.listProfilers();
        } else if (user.shouldListResultFormats()) {
            user.listResultFormats();
        } else {
            return false;
        }
        return true;
    }

    /** The commands, e.g. {@code --compare}, that have the option {@code name}. */
    private static List<String> ownersOf(CommandSpec root, String name) {
        return root.subcommands().values().stream()
                .filter(sub -> sub.getCommandSpec().findOption(name) != null)
                .map(CommandLine::getCommandName)
                .toList();
    }

    /** {@code --compare}, or the harness's name for the command without a word (the quick run). */
    static String shownName(CommandSpec command) {
        return command.parent() == null ? "the quick run" : command.name();
    }
}
