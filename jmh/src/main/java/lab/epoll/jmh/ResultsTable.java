package lab.epoll.jmh;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lab.epoll.catalog.MarkdownTable;
import lab.epoll.catalog.Metric;
import lab.epoll.catalog.Saturation;
import org.openjdk.jmh.results.RunResult;

/**
 * The Markdown tables the harness writes after a run, one row per trial: on the console, the figures that compare
 * and which side was saturated (a client-bound row measured the client, not the server), narrow enough for a
 * terminal; in a file beside the results, every metric.
 */
public final class ResultsTable {
    /**
     * What the console shows beside throughput and the saturated side: the round trip and CPU per echo on both
     * sides, which fit a 120-column terminal; the rest is in the file.
     */
    private static final List<Metric> CONSOLE =
            List.of(Metric.P50, Metric.P99, Metric.SERVER_CPU_PER_OP, Metric.CLIENT_CPU_PER_OP);

    private static final List<Metric> ALL = List.of(
            Metric.P50,
            Metric.P99,
            Metric.P999,
            Metric.SERVER_CPU_PER_OP,
            Metric.CLIENT_CPU_PER_OP,
            Metric.EPOLL_WAIT,
            Metric.POLL,
            Metric.IO_URING_ENTER,
            Metric.READ,
            Metric.WRITE,
            Metric.EPOLL_CTL,
            Metric.EVENTS_PER_WAIT,
            Metric.SQES_PER_ENTER,
            Metric.IO_WQ_PER_OP,
            Metric.SYSCALLS_TOTAL,
            Metric.SERVER_CORES,
            Metric.CLIENT_CORES,
            Metric.RSS_PEAK);

    /** Shown only when a run has open-loop trials: the rest of their distribution and the schedule's accuracy. */
    private static final List<Metric> OPEN_LOOP =
            List.of(Metric.OFFERED, Metric.PACING_P99, Metric.P90, Metric.P9999, Metric.MAX);

    private static final String MARGIN = "± is JMH's 99.9% interval over a trial's measured iterations, wide with few"
            + " of them;\nto tell two variants apart, use --compare (paired trials, a 95% interval on the ratio).";

    private ResultsTable() {}

    /** The console's tables, one per benchmark under its name: the figures that compare, no empty columns. */
    public static String console(Collection<RunResult> results) {
        Map<String, List<RunResult>> byBenchmark = new LinkedHashMap<>();
        results.forEach(r -> byBenchmark
                .computeIfAbsent(TrialSummary.of(r).benchmark(), b -> new ArrayList<>())
                .add(r));
        StringBuilder text = new StringBuilder();
        byBenchmark.forEach((benchmark, runs) -> text.append(benchmark)
                .append(":\n\n")
                .append(markdown(runs, CONSOLE, true))
                .append('\n'));
        return text.toString().stripTrailing() + "\n\n" + MARGIN + "\n";
    }

    /** Every metric the harness measured, for the file beside the results. */
    public static String full(Collection<RunResult> results) {
        return markdown(results, ALL, false);
    }

    private static String markdown(Collection<RunResult> results, List<Metric> shown, boolean compact) {
        List<TrialSummary> trials = results.stream().map(TrialSummary::of).toList();
        boolean open = trials.stream().anyMatch(t -> t.value(Metric.OFFERED) != null);
        List<Metric> metrics = new ArrayList<>(open ? OPEN_LOOP : List.of());
        metrics.addAll(shown);
        // A column no trial has (io_uring's for epoll servers, syscalls without perf) says nothing.
        metrics.removeIf(metric -> trials.stream().allMatch(t -> t.value(metric) == null));
        List<String> header = new ArrayList<>(compact ? List.of() : List.of("benchmark"));
        header.addAll(List.of("variant", "scenario", Metric.ECHOES.header() + " ±", "bound"));
        metrics.forEach(metric -> header.add(metric.header()));
        MarkdownTable table = new MarkdownTable(compact ? 2 : 3, header.toArray(String[]::new));
        int unusable = 0;
        for (TrialSummary trial : trials) {
            // An open-loop client spins between requests by design: its CPU says nothing about who kept up; the
            // achieved against the offered rate does.
            boolean openLoop = trial.value(Metric.OFFERED) != null;
            List<String> cells = new ArrayList<>(compact ? List.of() : List.of(trial.benchmark()));
            cells.addAll(List.of(
                    trial.variant(),
                    trial.scenario(),
                    trial.withError(Metric.ECHOES),
                    openLoop ? "open loop" : trial.saturation().cell()));
            metrics.forEach(metric -> cells.add(trial.rounded(metric)));
            table.row(cells);
            unusable += openLoop || trial.saturation().usable() ? 0 : 1;
        }
        String text = table.render() + (compact ? "" : "\n" + MARGIN + "\n");
        if (unusable > 0) {
            text += "\n" + unusable + " trial(s) were client-bound (the client used over "
                    + Math.round(Saturation.BUSY * 100) + "% of its CPUs, the server did not):\nthey measured the"
                    + " client, not the server, and no verdict may use them.\n";
        }
        return text;
    }
}
