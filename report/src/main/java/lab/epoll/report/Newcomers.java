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
import org.knowm.xchart.CategoryChart;

/**
 * Who gets served when the server is saturated ({@code --newcomers}): every {@code newcomers*.json} beside the
 * results (the lab's defaults, Netty's stock accept, plain Netty), as one table by busy connections and variant,
 * and a chart of the newcomers' p99 wait, where a bar at the patience means more than 1% were never answered.
 */
final class Newcomers {
    static final String BLOCK = "newcomers";
    static final String CHART = "newcomers.png";
    /** The harness's newcomer results file without its ending: every file that starts so is read. */
    static final String FILE_PREFIX = LabPaths.NEWCOMER_RESULTS.replaceFirst("\\.json$", "");

    private Newcomers() {}

    /** Every newcomer trial in {@code newcomers*.json} beside {@code json}; empty when there is none. */
    static List<Trial> read(Path json) throws IOException {
        List<Trial> trials = ResultsReader.readAll(json, FILE_PREFIX, BenchmarkClass.NEWCOMER);
        trials.sort(Comparator.comparingInt((Trial t) -> Integer.parseInt(t.param("busy")))
                .thenComparingDouble(Newcomers::rate)
                .thenComparing(Trial::variant, Variants.order())
                .thenComparing(Trial::serverArgs));
        return trials;
    }

    /** The table, and what its columns mean. */
    static String markdown(List<Trial> trials) {
        if (trials.isEmpty()) {
            return "_No newcomer trials._";
        }
        MarkdownTable table = new MarkdownTable(
                4,
                "busy",
                "new/s",
                "variant",
                "server args",
                "newcomers",
                "unanswered",
                "p50 ms",
                "p99 ms",
                "p99.9 ms",
                "max ms",
                "busy echoes/s",
                "busy Jain",
                "busy unserved %",
                "accept queue",
                "waits/s",
                "accepts/wait",
                "srv cores");
        for (Trial t : trials) {
            table.row(
                    Numbers.count(t.param("busy")),
                    Numbers.count(t.param("rate")),
                    t.variant(),
                    t.serverArgs().isEmpty() ? "" : "`" + t.serverArgs() + "`",
                    value(t, Metric.NEWCOMERS),
                    unanswered(t),
                    value(t, Metric.NEWCOMER_P50),
                    value(t, Metric.NEWCOMER_P99),
                    value(t, Metric.NEWCOMER_P999),
                    value(t, Metric.NEWCOMER_MAX),
                    Score.text(t.throughput()),
                    value(t, Metric.BUSY_JAIN),
                    value(t, Metric.BUSY_UNSERVED),
                    value(t, Metric.LISTEN_BACKLOG),
                    value(t, Metric.WAITS_PER_S),
                    value(t, Metric.ACCEPTS_PER_WAIT),
                    value(t, Metric.SERVER_CORES));
        }
        Trial first = trials.get(0);
        return table.render() + "\nNew/s newcomers a second, each a new"
                + " connection sending one " + Numbers.bytes(first.param("payload")) + " request and waiting at most "
                + first.param("patience") + " s for its echo, while the busy connections keep "
                + first.param("depth") + " request(s) each in flight and a spinning thread shares the server's CPU"
                + " (the hog), so the load is more than the server can serve. Per trial the mean of its measured"
                + " iterations; the newcomers and unanswered columns are per iteration, and the waits count every"
                + " newcomer, an unanswered one at the time it gave up (a lower bound), so a p99 at the patience"
                + " means more than 1% were never answered. Accept queue: the listener's Recv-Q when the iteration"
                + " ended; waits/s: the server's epoll_wait, poll or io_uring_enter calls a second; accepts/wait:"
                + " its accept calls (the last of a batch finds the queue empty) per wait. Busy echoes/s carry JMH's"
                + " 99.9% margin over 3 iterations, often wider than the score: with the hog sharing its CPU the"
                + " server's throughput swings between iterations, and this table is read for its counts and waits.\n";
    }

    private static String unanswered(Trial trial) {
        String text = value(trial, Metric.NEWCOMERS_UNANSWERED);
        return trial.metric(Metric.NEWCOMERS_UNANSWERED).map(s -> s.score() > 0).orElse(false)
                ? "**" + text + "**"
                : text;
    }

    private static String value(Trial trial, Metric metric) {
        return trial.metric(metric).map(m -> Numbers.rounded(m.score())).orElse(Numbers.MISSING);
    }

    /**
     * Newcomer p99 per configuration at the sweep's main arrival rate (the one most trials ran at), one bar series
     * per busy count; empty without trials.
     */
    static Optional<CategoryChart> chart(List<Trial> all) {
        if (all.isEmpty()) {
            return Optional.empty();
        }
        String mainRate = all.stream()
                .collect(java.util.stream.Collectors.groupingBy(
                        t -> t.param("rate"), java.util.stream.Collectors.counting()))
                .entrySet()
                .stream()
                .max(java.util.Map.Entry.comparingByValue())
                .orElseThrow()
                .getKey();
        List<Trial> trials =
                all.stream().filter(t -> t.param("rate").equals(mainRate)).toList();
        // A linear axis: a bar at the patience (5,000 ms) is a configuration whose newcomers mostly gave up.
        CategoryChart chart = ChartStyle.bars(
                "New connections' wait while the server is saturated (p99, " + Numbers.count(mainRate) + " new/s)",
                "variant (and server args)",
                "newcomer wait p99, ms (5,000: gave up)");
        chart.getStyler().setYAxisDecimalPattern("#,###");
        chart.getStyler().setXAxisLabelRotation(45);
        List<String> configs = trials.stream().map(Newcomers::label).distinct().toList();
        List<String> busyCounts =
                trials.stream().map(t -> t.param("busy")).distinct().toList();
        Color[] shades = {new Color(0x9ecae1), new Color(0x3182bd), new Color(0x08519c)};
        List<Color> colors = new ArrayList<>();
        for (String busy : busyCounts) {
            List<Double> y = new ArrayList<>();
            for (String config : configs) {
                y.add(trials.stream()
                        .filter(t -> t.param("busy").equals(busy) && label(t).equals(config))
                        .findFirst()
                        .flatMap(t -> t.metric(Metric.NEWCOMER_P99))
                        .map(Score::score)
                        .orElse(0.0));
            }
            chart.addSeries(Numbers.count(busy) + " busy", configs, y);
            colors.add(shades[colors.size() % shades.length]);
        }
        chart.getStyler().setSeriesColors(colors.toArray(Color[]::new));
        return Optional.of(chart);
    }

    private static double rate(Trial trial) {
        return Double.parseDouble(trial.param("rate"));
    }

    private static String label(Trial trial) {
        return trial.serverArgs().isEmpty() ? trial.variant() : trial.variant() + " " + trial.serverArgs();
    }
}
