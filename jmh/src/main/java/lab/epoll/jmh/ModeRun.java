package lab.epoll.jmh;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import lab.epoll.catalog.CpuSet;
import lab.epoll.catalog.LabPaths;
import lab.epoll.catalog.TrialParam;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * One run of a {@link RunMode}: its defaults under the user's JMH options, one console line per trial (JMH's own
 * log to {@code jmh.log} beside the results), then the console's table and every metric as Markdown beside the
 * JSON.
 */
public final class ModeRun {
    private ModeRun() {}

    /** Runs {@code mode}; returns the exit code: 0, or 1 when a trial failed (one line says why). */
    public static int run(RunMode mode, CommandLineOptions user, boolean jmhLog) throws IOException {
        Path results = LabPaths.root().resolve("jmh/target/" + mode.resultsFile());
        Files.createDirectories(results.getParent());
        ChainedOptionsBuilder options = TrialOptions.base(user);
        RunMode.Param.of(TrialParam.VARIANT.field(), TrialOptions.runnable(mode.variants()))
                .applyTo(options, user);
        mode.sweep().applyTo(options, user);
        if (!user.getResult().hasValue()) {
            options.result(results.toString());
        }
        if (!user.getResultFormat().hasValue()) {
            options.resultFormat(ResultFormatType.JSON);
        }

        boolean chosen = !user.getIncludes().isEmpty()
                || !user.getParameter(TrialParam.VARIANT.field())
                        .orElse(List.of())
                        .isEmpty();
        String run = mode == RunMode.QUICK && chosen ? "run of the chosen benchmarks" : mode.label();
        CpuSet[] layout = TrialOptions.layout();
        System.out.println("[lab] " + run + "; server on CPUs " + shown(user, TrialParam.SERVER_CPUS.field(), layout[0])
                + ", client on CPUs " + shown(user, TrialParam.CLIENT_CPUS.field(), layout[1])
                + "; server JVMs: see the serverJvm parameter; " + TrialOptions.perfLine());
        Path logFile = results.resolveSibling("jmh.log");
        Collection<RunResult> runResults;
        try (PrintStream log = new PrintStream(Files.newOutputStream(logFile), true, StandardCharsets.UTF_8)) {
            Options built = options.build();
            Runner runner = jmhLog
                    ? new Runner(built)
                    : new Runner(
                            built,
                            new CompactOutput(
                                    OutputFormatFactory.createFormatInstance(
                                            log, built.verbosity().orElse(VerboseMode.NORMAL)),
                                    System.out));
            if (!jmhLog) {
                System.out.println("[lab] one line per trial; JMH's full log: " + logFile);
            }
            runResults = runner.run();
        } catch (RunnerException e) {
            System.err.println("[lab] the run stopped: " + rootMessage(e) + (jmhLog ? "" : "; JMH's log: " + logFile));
            return 1;
        }
        System.out.println();
        System.out.println(ResultsTable.console(runResults));
        Path json = Path.of(user.getResult().hasValue() ? user.getResult().get() : results.toString());
        Path table = json.resolveSibling(json.getFileName().toString().replaceFirst("\\.json$", "") + ".md");
        try {
            Files.writeString(table, ResultsTable.full(runResults));
        } catch (IOException e) {
            System.err.println("[lab] cannot write " + table + ": " + e.getMessage());
        }
        System.out.println("[lab] JMH results: " + json + "; every metric, as a table: " + table);
        return 0;
    }

    private static String shown(CommandLineOptions user, String param, CpuSet fallback) {
        return user.getParameter(param).hasValue()
                ? String.join("|", user.getParameter(param).get())
                : fallback.text();
    }

    /** The innermost cause's message: JMH wraps a failed trial's exception in two of its own. */
    public static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == t ? String.valueOf(t.getMessage()) : root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
