package lab.epoll.jmh.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import lab.epoll.catalog.CpuSet;
import lab.epoll.catalog.ServerOption.Name;
import lab.epoll.catalog.ServerVariant;
import lab.epoll.catalog.TrialParam;
import lab.epoll.jmh.RunMode;
import lab.epoll.jmh.TrialOptions;
import lab.epoll.jmh.bench.BenchmarkServer;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * The parts of the harness's --help that are the lab's data rather than options: each run's defaults, the other
 * commands' options in the harness's own help, the lab's JMH parameters, and how values are written, said once.
 */
final class HelpText {
    private static final String VALUE_FORMATS = "valueFormats";
    private static final int MAX_NAME_WIDTH = 28;
    private static final char NO_BREAK = '\u00a0';

    private HelpText() {}

    /** {@code text} for a picocli description, which treats {@code %} as the start of a format. */
    static String escaped(String text) {
        return text.replace("%", "%%");
    }

    /** The harness's own help: every command, every option of each, the lab's parameters, the value formats. */
    static void forHarness(CommandLine harness) {
        section(harness, UsageMessageSpec.SECTION_KEY_COMMAND_LIST, "commandOptions", HelpText::commandOptions);
        section(
                harness,
                "commandOptions",
                "labParameters",
                help -> table(
                        help,
                        "The lab's parameters, as JMH's"
                                + " -p NAME=LIST%n(-lp lists each benchmark's own: clients, payload, rate, busy, ...):",
                        labParameters()));
        section(harness, "labParameters", VALUE_FORMATS, HelpText::valueFormats);
    }

    /** A run's help: its defaults, each with the JMH option that replaces it. */
    static void forMode(CommandLine command, RunMode mode) {
        section(
                command,
                UsageMessageSpec.SECTION_KEY_OPTION_LIST,
                "defaults",
                help -> table(
                        help,
                        "Defaults, each replaced by the JMH option that sets it:",
                        List.of(
                                row("benchmarks", mode.sweep().shownBenchmarks()),
                                row(
                                        "variants",
                                        new RunMode.Param(
                                                        TrialParam.VARIANT.field(),
                                                        mode.variants().stream()
                                                                .map(ServerVariant::name)
                                                                .toList())
                                                .shown()),
                                row(
                                        "parameters",
                                        mode.sweep().params().stream()
                                                .map(RunMode.Param::shown)
                                                .collect(Collectors.joining(" "))),
                                row("iterations", mode.sweep().iterations().shown() + " -f " + TrialOptions.FORKS),
                                row(
                                        "results",
                                        "-rff jmh/target/" + mode.resultsFile() + ", every metric as Markdown"
                                                + " beside it"))));
        section(command, "defaults", VALUE_FORMATS, HelpText::valueFormats);
    }

    /** {@code --profile}'s help: the scenario of its trials. */
    static void forProfile(CommandLine command) {
        section(
                command,
                UsageMessageSpec.SECTION_KEY_OPTION_LIST,
                "defaults",
                help -> table(
                        help,
                        "Defaults, each replaced by the JMH option that sets it:",
                        List.<String[]>of(
                                row("each trial", RunMode.PROFILED_ECHO.shown() + " -f " + TrialOptions.FORKS))));
        section(command, "defaults", VALUE_FORMATS, HelpText::valueFormats);
    }

    /** {@code --compare}'s help: its scenarios are options (a group), so only the value formats. */
    static void forCompare(CommandLine command) {
        section(command, UsageMessageSpec.SECTION_KEY_OPTION_LIST, VALUE_FORMATS, HelpText::valueFormats);
    }

    /** Inserts section {@code key} after section {@code after}. */
    private static void section(
            CommandLine command, String after, String key, CommandLine.IHelpSectionRenderer renderer) {
        command.getHelpSectionMap().put(key, renderer);
        List<String> keys = new ArrayList<>(command.getHelpSectionKeys());
        int at = keys.indexOf(after);
        if (at < 0) {
            throw new IllegalArgumentException("no help section " + after);
        }
        keys.add(at + 1, key);
        command.setHelpSectionKeys(keys);
    }

    /** For each command with options of its own (not the harness's): those options, under its name. */
    private static String commandOptions(Help help) {
        CommandSpec harness = help.commandSpec();
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, CommandLine> entry : harness.subcommands().entrySet()) {
            CommandSpec command = entry.getValue().getCommandSpec();
            List<PositionalParamSpec> positionals = command.positionalParameters().stream()
                    .filter(p -> !p.paramLabel().equals(JmhOptions.LABEL))
                    .toList();
            List<OptionSpec> options = command.options().stream()
                    .filter(o -> o.group() == null && harness.findOption(o.longestName()) == null)
                    .toList();
            if (positionals.isEmpty() && options.isEmpty()) {
                continue;
            }
            Help commandHelp = new Help(command, help.colorScheme());
            text.append(System.lineSeparator())
                    .append("Options of ")
                    .append(entry.getKey())
                    .append(':')
                    .append(System.lineSeparator())
                    .append(commandHelp.parameterList(positionals))
                    .append(commandHelp.optionListExcludingGroups(options))
                    .append(commandHelp.optionListGroupSections());
        }
        return text.toString();
    }

    private static String valueFormats(Help help) {
        return table(
                help,
                "Value formats:",
                List.of(
                        row(
                                "LIST",
                                "Values separated by commas, no spaces: lt,et or 1,50,1000. In -p NAME=LIST, one trial"
                                        + " per value."),
                        row("VARIANT", "A server variant: " + String.join(", ", ServerVariant.names()) + "."),
                        row("N", "A whole number."),
                        row(
                                "DURATION",
                                "A whole number and a unit, us, ms, s or m: 500ms, 10s, 1m. JMH's -w and -r also"
                                        + " read a bare number as seconds."),
                        row(
                                "SIZE",
                                "A whole number of bytes, or with k, m or g, which are binary: 64k = 65,536 bytes"
                                        + " (the servers' options, e.g. -p serverArgs=" + Name.MAX_PENDING_BYTES
                                        + "=64m)."),
                        row("PERCENT", "A share: 3% or 0.03.")));
    }

    /** The harness's parameters every benchmark has ({@link TrialParam}), each with its value format. */
    private static List<String[]> labParameters() {
        CpuSet[] layout = TrialOptions.layout();
        List<String[]> rows = new ArrayList<>();
        for (TrialParam param : TrialParam.values()) {
            rows.add(
                    switch (param) {
                        case VARIANT -> row("variant=LIST", "The VARIANTs to measure (default: the command's).");
                        case SERVER_JVM ->
                            row(
                                    "serverJvm=FLAGS",
                                    "The server JVM's flags (default: " + BenchmarkServer.DEFAULT_JVM_FLAGS + ").");
                        case SERVER_ARGS ->
                            row(
                                    "serverArgs=LIST",
                                    "Server options added, one trial per value: " + Name.ACCEPT_BATCH + "=1, or \""
                                            + Name.MAX_PENDING_BYTES + " 64m\" quoted (default: none).");
                        case IDLE_TIMEOUT ->
                            row(
                                    "idleTimeout=DURATION",
                                    "The servers' " + Name.IDLE_TIMEOUT + " (default 0, none:"
                                            + " some scenarios hold idle connections).");
                        case SERVER_CPUS ->
                            row(
                                    "serverCpus=CPUS",
                                    "The server's CPUs, in taskset's syntax (0-1,3), or"
                                            + " all for no pinning; default here: " + layout[0].text()
                                            + ", the upper half.");
                        case CLIENT_CPUS ->
                            row(
                                    "clientCpus=CPUS",
                                    "The client's (the harness's) CPUs, disjoint from the server's; default here: "
                                            + layout[1].text() + ".");
                        case TARGET ->
                            row(
                                    "target=HOST:PORT",
                                    "Measures a server the harness did not start (client-side metrics only).");
                        case TARGET_METRICS ->
                            row(
                                    "targetMetrics=HOST:PORT",
                                    "That server's " + Name.METRICS_PORT + ": its CPU per"
                                            + " echo, cores, RSS and threads.");
                        case SERVER_NETNS ->
                            row(
                                    "serverNetns=NAME@ADDR",
                                    "Starts each server in network namespace NAME on"
                                            + " ADDR; run the harness in the other (ip netns exec ...) to measure over a veth pair"
                                            + " (tools/two-namespaces/netns.sh).");
                        case CLIENT_LOOPS ->
                            row(
                                    "clientLoops=N",
                                    "Client event loops driving the connections (default"
                                            + " 1), their histograms merged per iteration.");
                        case JAVA ->
                            row("java=N", "The Java release the server runs on, e.g. 25 (default: the variant's own).");
                    });
        }
        return rows;
    }

    private static String[] row(String name, String text) {
        return new String[] {name, text};
    }

    /** {@code text} with the spaces inside "..." made unbreakable, so a quoted value stays on one line. */
    private static String unbreakableQuotes(String text) {
        StringBuilder out = new StringBuilder(text);
        boolean quoted = false;
        for (int i = 0; i < out.length(); i++) {
            if (out.charAt(i) == '"') {
                quoted = !quoted;
            } else if (quoted && out.charAt(i) == ' ') {
                out.setCharAt(i, NO_BREAK);
            }
        }
        return out.toString();
    }

    /**
     * A heading and two columns, the second wrapped at spaces to the help's width (picocli's own tables also
     * break after dots, which splits names like uring-4.2).
     */
    private static String table(Help help, String heading, List<String[]> rows) {
        int width = help.commandSpec().usageMessage().width();
        int indent = Math.min(
                MAX_NAME_WIDTH,
                rows.stream().mapToInt(row -> row[0].length()).max().orElse(0) + 4);
        StringBuilder text = new StringBuilder(System.lineSeparator())
                .append(String.format(heading))
                .append(System.lineSeparator());
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder("  ").append(row[0]);
            // Breaks at spaces and after the commas of a LIST; a space starts each word but the first on a line.
            for (String word : unbreakableQuotes(row[1]).split("(?<=,)|(?= )")) {
                String bare = word.strip();
                int column = Math.max(line.length(), indent);
                if (line.length() > indent && column + word.length() > width) {
                    text.append(line.toString().replace(NO_BREAK, ' ')).append(System.lineSeparator());
                    line = new StringBuilder();
                }
                if (line.length() < indent) {
                    line.append(" ".repeat(indent - line.length())).append(bare);
                } else {
                    line.append(word);
                }
            }
            text.append(line.toString().replace(NO_BREAK, ' ')).append(System.lineSeparator());
        }
        return text.toString();
    }
}
