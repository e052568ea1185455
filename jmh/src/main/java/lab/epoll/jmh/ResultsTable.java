package lab.epoll.jmh;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import lab.epoll.catalog.MarkdownTable;
import lab.epoll.catalog.Metric;
import lab.epoll.catalog.Saturation;
import org.openjdk.jmh.results.RunResult;

/**
 * The compact Markdown table the harness prints after a run: one row per trial, the numbers that compare, and
 * which side was saturated (a client-bound row measured the client, not the server).
 */
public final class ResultsTable {
    private static final List<Metric> METRICS = List.of(Metric.P50, Metric.P99, Metric.P999,
            Metric.SERVER_CPU_PER_OP, Metric.CLIENT_CPU_PER_OP, Metric.EPOLL_WAIT, Metric.POLL, Metric.IO_URING_ENTER,
            Metric.READ, Metric.WRITE, Metric.EPOLL_CTL, Metric.EVENTS_PER_WAIT, Metric.SQES_PER_ENTER,
            Metric.IO_WQ_PER_OP, Metric.SERVER_CORES, Metric.CLIENT_CORES, Metric.RSS_PEAK);

    /** Shown only when a run has open-loop trials: the rest of their distribution and the schedule's accuracy. */
    private static final List<Metric> OPEN_LOOP = List.of(Metric.OFFERED, Metric.PACING_P99, Metric.P90,
            Metric.P9999, Metric.MAX);

    private ResultsTable() {
    }

    public static String markdown(Collection<RunResult> results) {
        List<String> header = new ArrayList<>(List.of("benchmark", "variant", "scenario",
                Metric.ECHOES.header() + " ± 99.9%", "bound"));
        boolean open = results.stream().anyMatch(r -> TrialSummary.of(r).value(Metric.OFFERED) != null);
        List<Metric> metrics = new ArrayList<>(open ? OPEN_LOOP : List.of());
        metrics.addAll(METRICS);
        metrics.forEach(metric -> header.add(metric.header()));
        MarkdownTable table = new MarkdownTable(3, header.toArray(String[]::new));
        int unusable = 0;
        for (RunResult run : results) {
            TrialSummary trial = TrialSummary.of(run);
            // An open-loop client spins between requests by design: its CPU says nothing about who kept up; the
            // achieved against the offered rate does.
            boolean openLoop = trial.value(Metric.OFFERED) != null;
            List<String> cells = new ArrayList<>(List.of(trial.benchmark(), trial.variant(), trial.scenario(),
                    trial.withError(Metric.ECHOES), openLoop ? "open loop" : trial.saturation().cell()));
            metrics.forEach(metric -> cells.add(trial.rounded(metric)));
            table.row(cells);
            unusable += openLoop || trial.saturation().usable() ? 0 : 1;
        }
        String text = table.render();
        if (unusable > 0) {
            text += "\n" + unusable + " trial(s) were client-bound (the client used over "
                    + Math.round(Saturation.BUSY * 100) + "% of its CPUs, the server did not): they measured the client,"
                    + " not the server, and no verdict may use them.\n";
        }
        return text;
    }
}
