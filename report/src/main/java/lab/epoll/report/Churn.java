package lab.epoll.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import lab.epoll.catalog.LabPaths;
import lab.epoll.catalog.MarkdownTable;
import lab.epoll.catalog.Metric;
import lab.epoll.catalog.Numbers;
import lab.epoll.catalog.ServerOption;
import org.knowm.xchart.CategoryChart;

/**
 * How several threads share new connections ({@code --churn}): every {@code churn*.json} beside the results, as
 * one table by burst, threads and variant, and a chart of each serving thread's share of the connections at the
 * sweep's middle thread count, busiest at the bottom of each bar.
 */
final class Churn {
    static final String BLOCK = "churn";
    static final String CHART = "churn.png";
    /** The harness's churn results file without its ending: every file that starts so is read. */
    static final String FILE_PREFIX = LabPaths.CHURN_RESULTS.replaceFirst("\\.json$", "");
    /** The thread count the chart shows: enough loops for the shares to differ, few enough to read. */
    static final String CHART_THREADS = "4";

    private Churn() {}

    /** Every churn trial in {@code churn*.json} beside {@code json}; empty when there is none. */
    static List<Trial> read(Path json) throws IOException {
        List<Trial> trials = ResultsReader.readAll(json, FILE_PREFIX, BenchmarkClass.CHURN);
        trials.sort(Comparator.comparingInt((Trial t) -> Integer.parseInt(t.param("burst")))
                .thenComparingInt(t -> Integer.parseInt(t.param("servingThreads")))
                .thenComparing(Trial::variant, Variants.order())
                .thenComparing(t -> t.param("reuseport")));
        return trials;
    }

    /** The variant, and for Netty with a listener per event loop, that. */
    static String label(Trial trial) {
        return Boolean.parseBoolean(trial.param("reuseport"))
                ? trial.variant() + " " + ServerOption.LISTENERS.with("N")
                : trial.variant();
    }

    /** The table, and what its columns mean. */
    static String markdown(List<Trial> trials) {
        if (trials.isEmpty()) {
            return "_No churn trials._";
        }
        MarkdownTable table = new MarkdownTable(
                3,
                "burst",
                "serving threads",
                "variant",
                "conn/s",
                "switches/conn",
                "epoll_wait/conn",
                "empty accepts/conn",
                "busiest %",
                "idlest %",
                "Jain",
                "wait p99 ms",
                "wait max ms",
                "unanswered",
                "srv CPU µs/conn");
        for (Trial t : trials) {
            table.row(
                    t.param("burst"),
                    t.param("servingThreads"),
                    label(t),
                    Score.text(t.throughput()),
                    value(t, Metric.CONTEXT_SWITCHES),
                    value(t, Metric.EPOLL_WAIT),
                    value(t, Metric.ACCEPT_EMPTY_PER_OP),
                    value(t, Metric.LOOP_SHARE_MAX),
                    value(t, Metric.LOOP_SHARE_MIN),
                    value(t, Metric.LOOP_JAIN),
                    value(t, Metric.NEWCOMER_P99),
                    value(t, Metric.NEWCOMER_MAX),
                    value(t, Metric.NEWCOMERS_UNANSWERED),
                    value(t, Metric.SERVER_CPU_PER_OP));
        }
        Trial first = trials.get(0);
        return table.render() + "\nNew connections arrive at " + Numbers.count(first.param("rate"))
                + " a second, one at a time (burst 1) or that many at once, each sending one "
                + Numbers.bytes(first.param("payload")) + " request and closing once answered; nothing else runs."
                + " Serving threads: the variant's (raw-server's loops, the kernel ONESHOT engine's workers,"
                + " Netty's event loops). Per connection, from perf on the server's threads: switches, each a thread"
                + " put to sleep and woken (or preempted); epoll_wait calls; accept4 calls that found the queue empty"
                + " (EAGAIN). Busiest, idlest: the share of the connections closed by the serving thread that closed"
                + " the most and the fewest (each connection is closed by the thread that served it); Jain: Jain's"
                + " index over those counts, 1 when even, 1/threads when one thread served all. Wait: from when a"
                + " connection was due to its echo, the unanswered at the time they gave up. Each cell is the mean"
                + " of the trial's measured iterations; conn/s carries JMH's 99.9% margin.\n";
    }

    private static String value(Trial trial, Metric metric) {
        return trial.metric(metric).map(m -> Numbers.rounded(m.score())).orElse(Numbers.MISSING);
    }

    /**
     * Each serving thread's share of the connections at {@link #CHART_THREADS} threads, one stacked bar per
     * variant and burst, the busiest thread first; empty without such trials.
     */
    static Optional<CategoryChart> chart(List<Trial> all) {
        List<Trial> trials = all.stream()
                .filter(t -> t.param("servingThreads").equals(CHART_THREADS))
                .toList();
        if (trials.isEmpty()) {
            return Optional.empty();
        }
        int loops = Integer.parseInt(CHART_THREADS);
        CategoryChart chart = ChartStyle.bars(
                "Who serves new connections: each of " + loops + " threads' share, busiest at the bottom",
                "variant, connections arriving 1 or 100 at once",
                "share of the connections, %");
        chart.getStyler().setStacked(true);
        chart.getStyler().setXAxisLabelRotation(45);
        chart.getStyler().setYAxisMax(100.0);
        List<String> configs =
                trials.stream().map(t -> label(t) + " ×" + t.param("burst")).toList();
        Color[] shades = {new Color(0x08519c), new Color(0x3182bd), new Color(0x6baed6), new Color(0xc6dbef)};
        List<Color> colors = new ArrayList<>();
        for (int rank = 1; rank <= loops; rank++) {
            String label = Metric.loopShareLabel(rank);
            List<Double> y = trials.stream()
                    .map(t -> t.secondaryScore(label).orElse(0.0))
                    .toList();
            chart.addSeries(
                    rank == 1 ? "busiest thread" : rank == loops ? "idlest thread" : "thread " + rank, configs, y);
            colors.add(shades[(rank - 1) % shades.length]);
        }
        chart.getStyler().setSeriesColors(colors.toArray(Color[]::new));
        return Optional.of(chart);
    }
}
