package lab.epoll.jmh;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.format.OutputFormat;

/**
 * What a person reads during a run: one line per finished trial (progress, ETA, the trial and its headline
 * numbers), while JMH's full log, 100-odd lines per trial, goes to a file. Every call is passed on to JMH's own
 * format writing that file, so nothing JMH says is lost.
 */
final class CompactOutput implements OutputFormat {
    private static final String PROGRESS = "# Run progress: ";

    private final OutputFormat log;
    private final PrintStream console;
    private String progress = "";

    /** @param log JMH's own format, writing to the log file */
    CompactOutput(OutputFormat log, PrintStream console) {
        this.log = log;
        this.console = console;
    }

    @Override
    public void println(String s) {
        if (s.startsWith(PROGRESS)) {
            // "# Run progress: 12.50% complete, ETA 00:04:10"
            progress = s.substring(PROGRESS.length()).replace(" complete,", ",");
        }
        log.println(s);
    }

    @Override
    public void startBenchmark(BenchmarkParams params) {
        log.startBenchmark(params);
    }

    @Override
    public void endBenchmark(BenchmarkResult result) {
        log.endBenchmark(result);
        if (result != null) {
            TrialSummary trial = TrialSummary.of(new RunResult(result.getParams(), List.of(result)));
            console.println("[lab] " + progress + " | " + trial.benchmark() + " " + trial.variant() + " "
                    + trial.scenario() + ": " + trial.oneLine());
        }
    }

    @Override
    public void iteration(BenchmarkParams benchmParams, IterationParams params, int iteration) {
        log.iteration(benchmParams, params, iteration);
    }

    @Override
    public void iterationResult(
            BenchmarkParams benchmParams, IterationParams params, int iteration, IterationResult data) {
        log.iterationResult(benchmParams, params, iteration, data);
    }

    @Override
    public void startRun() {
        log.startRun();
    }

    @Override
    public void endRun(Collection<RunResult> result) {
        log.endRun(result);
    }

    @Override
    public void print(String s) {
        log.print(s);
    }

    @Override
    public void flush() {
        log.flush();
        console.flush();
    }

    @Override
    public void close() {
        log.close();
    }

    @Override
    public void verbosePrintln(String s) {
        log.verbosePrintln(s);
    }

    @Override
    public void write(int b) {
        log.write(b);
    }

    @Override
    public void write(byte[] b) throws IOException {
        log.write(b);
    }
}
