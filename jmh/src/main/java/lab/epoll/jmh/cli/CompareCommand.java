package lab.epoll.jmh.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import lab.epoll.catalog.LabPaths;
import lab.epoll.catalog.ServerOption.Name;
import lab.epoll.catalog.TrialParam;
import lab.epoll.jmh.RunMode;
import lab.epoll.jmh.TrialOptions;
import lab.epoll.jmh.compare.ComparedSides;
import lab.epoll.jmh.compare.PairedComparison;
import lab.epoll.jmh.compare.Precision;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code --compare A,B}: paired trials of one scenario ({@link PairedComparison}); the scenario is the runs' that
 * have one ({@code --newcomers}, ...), else {@link RunMode#PAIRED_ECHO}.
 */
@Command(
        header = "Paired trials A B, B A, ... (each in a fresh server) and the ratio B/A of each metric with a 95%%"
                + " interval, into jmh/target/compare/.")
final class CompareCommand extends HarnessCommand {
    static final int MAX_PAIRS = 100;

    @Parameters(
            index = "0",
            paramLabel = "A,B",
            description = "Two variants (lt,et), or two values of one parameter"
                    + " with one variant named by -p (idleTimeout=0,60s -p variant=et; serverArgs=" + Name.ACCEPT_BATCH
                    + "=1,"
                    + Name.ACCEPT_BATCH + "=64 -p variant=lt).")
    String sides;

    @Option(
            names = "--pairs",
            paramLabel = "N",
            description = "Pairs of trials, 2 to " + MAX_PAIRS + " (default "
                    + PairedComparison.DEFAULT_PAIRS + "; with --precision, the most to run, default "
                    + Precision.DEFAULT_PAIR_LIMIT + ").")
    Integer pairs;

    @Option(
            names = "--precision",
            paramLabel = "PERCENT",
            description = "Pairs until the 95%% intervals of echoes/s"
                    + " and server CPU per echo are within PERCENT either side of the ratio (at least 3 pairs), or a line"
                    + " saying the machine was too noisy for it.")
    String precision;

    @Mixin
    RunOptions runOptions;

    @Parameters(index = "1..*", paramLabel = JmhOptions.LABEL, description = JmhOptions.DESCRIPTION)
    List<String> jmhArgs = new ArrayList<>();

    private ComparedSides compared;
    private Precision until;
    private int pairCount;
    private RunMode.Scenario scenario;
    private CommandLineOptions user;

    /**
     * Adds the runs with a paired scenario as options, one of them at most ({@code --newcomers}), from
     * {@link RunMode}'s one list.
     */
    static void addScenarioOptions(CommandSpec spec) {
        ArgGroupSpec.Builder scenarios = ArgGroupSpec.builder()
                .exclusive(true)
                .multiplicity("0..1")
                .heading("Scenario, by default " + RunMode.PAIRED_ECHO.shown() + ":%n");
        for (RunMode mode : RunMode.pairedScenarios()) {
            scenarios.addArg(OptionSpec.builder(mode.flag())
                    .arity("0")
                    .type(boolean.class)
                    .description("As " + mode.flag() + ", one value per parameter: "
                            + mode.paired().shown())
                    .build());
        }
        spec.addArgGroup(scenarios.build());
    }

    @Override
    void validate() {
        try {
            compared = ComparedSides.parse(sides);
            until = precision == null ? null : Precision.parse(precision);
        } catch (IllegalArgumentException e) {
            throw usageError(e.getMessage());
        }
        pairCount =
                pairs != null ? pairs : until != null ? Precision.DEFAULT_PAIR_LIMIT : PairedComparison.DEFAULT_PAIRS;
        if (pairCount < 2 || pairCount > MAX_PAIRS) {
            throw usageError("--pairs must be 2.." + MAX_PAIRS + ", not " + pairCount);
        }
        scenario = RunMode.PAIRED_ECHO;
        for (RunMode mode : RunMode.pairedScenarios()) {
            if (spec.commandLine().getParseResult().hasMatchedOption(mode.flag())) {
                scenario = mode.paired();
            }
        }
        user = JmhOptions.parse(spec, jmhArgs);
        Collection<String> variant =
                user.getParameter(TrialParam.VARIANT.field()).orElse(List.of());
        if (compared.ofVariants() && !variant.isEmpty()) {
            throw usageError(
                    "--compare " + sides + " names the variants; drop -p variant=" + String.join(",", variant));
        }
        if (!compared.ofVariants() && variant.size() != 1) {
            throw usageError("--compare " + sides + " compares one variant with itself: add -p variant=NAME");
        }
    }

    /** The scenario validated: a run's paired one, or the echo. */
    RunMode.Scenario scenario() {
        return scenario;
    }

    @Override
    int run() throws Exception {
        if (JmhOptions.listedInstead(spec, user)) {
            return 0;
        }
        runOptions.applyToForks();
        TrialOptions.useProjectClasspathInForks();
        ChainedOptionsBuilder options = TrialOptions.base(user);
        scenario.applyTo(options, user);
        System.out.println("[lab] compare " + compared.shown() + ", "
                + (until == null
                        ? pairCount + " pairs"
                        : "pairs until " + until.asked() + " on echoes/s and server CPU per echo, at most " + pairCount)
                + "; " + TrialOptions.perfLine());
        Path out = LabPaths.root().resolve("jmh/target/compare");
        try {
            PairedComparison.run(options, compared.param(), compared.a(), compared.b(), pairCount, until, out);
        } catch (IllegalArgumentException e) {
            throw usageError(e.getMessage());
        }
        return 0;
    }
}
