package lab.epoll.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import lab.epoll.catalog.Metric;
import lab.epoll.catalog.Numbers;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;

/**
 * The PNG charts PERFORMANCE.md shows, one idea each. A chart is drawn only when the run has its data (no
 * syscall chart without perf, no idle chart without idle trials); baselines only, tuning runs are table-only.
 *
 * <p>Where a run has several payloads, the per-client latency and syscall charts show the middle one (512 B of
 * 64/512/16384) so a chart stays readable; the tables have every scenario.
 */
final class Charts {
    /** A chart a {@link Block} can show: the file it goes to under docs/, its alt text, and how it is drawn. */
    record Chart(String file, String title, Function<Results, Optional<CategoryChart>> draw) {}

    /** A chart drawn for one report block, and the file it goes to under docs/. */
    record Drawn(Block block, String file, String title, CategoryChart chart) {}

    /** Every chart file the report can write, in block order. */
    static final List<String> FILES = Arrays.stream(Block.values())
            .flatMap(b -> b.charts().stream())
            .map(Chart::file)
            .toList();

    private Charts() {}

    /** {@link #render(Results, Path, Set) Renders} the charts of every block the results have trials for. */
    static List<Drawn> render(Results results, Path dir) throws IOException {
        Set<Block> blocks = EnumSet.noneOf(Block.class);
        Arrays.stream(Block.values()).filter(b -> b.hasTrials(results, results)).forEach(blocks::add);
        return render(results, dir, blocks);
    }

    /**
     * Draws the given blocks' charts that the results have data for and writes each to {@code dir}; returns what
     * it wrote. A chart file of these blocks that was not drawn (e.g. the syscall chart of a run without perf) is
     * removed, as stale. The charts of other blocks are left as they are: their blocks keep their content.
     */
    static List<Drawn> render(Results results, Path dir, Set<Block> blocks) throws IOException {
        List<Drawn> drawn =
                draw(results).stream().filter(d -> blocks.contains(d.block())).toList();
        for (Drawn d : drawn) {
            ChartStyle.save(d.chart(), dir.resolve(d.file()));
        }
        for (Block block : blocks) {
            for (Chart chart : block.charts()) {
                if (drawn.stream().noneMatch(d -> d.file().equals(chart.file()))) {
                    Files.deleteIfExists(dir.resolve(chart.file()));
                }
            }
        }
        return drawn;
    }

    static List<Drawn> draw(Results results) {
        List<Drawn> drawn = new ArrayList<>();
        for (Block block : Block.values()) {
            for (Chart chart : block.charts()) {
                chart.draw().apply(results).ifPresent(c -> drawn.add(new Drawn(block, chart.file(), chart.title(), c)));
            }
        }
        return drawn;
    }

    /** Echoes per second: a group of bars per (clients, payload), a bar per variant, JMH's margin as error bars. */
    static Optional<CategoryChart> throughput(Results results) {
        List<Trial> echo = results.baseline(BenchmarkClass.ECHO);
        if (echo.isEmpty()) {
            return Optional.empty();
        }
        CategoryChart chart =
                ChartStyle.bars("Echo throughput by variant", "concurrent clients · payload", "echoes per second");
        chart.getStyler().setYAxisDecimalPattern("#,###");
        perVariant(chart, echo, Charts::clientsAndPayload, t -> Optional.of(t.throughput()));
        return Optional.of(chart);
    }

    /** p50, p99 and p99.9 for each client count, log scale: the tail is often 10× the median. */
    static Optional<CategoryChart> latency(Results results) {
        List<Trial> echo = middlePayload(results.baseline(BenchmarkClass.ECHO));
        if (!Results.anyHas(echo, Metric.P50)) {
            return Optional.empty();
        }
        CategoryChart chart = ChartStyle.bars(
                "Closed-loop echo round trips, payload " + payloadOf(echo) + " (log scale)",
                "percentile · concurrent clients",
                "latency (µs)");
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setYAxisDecimalPattern("#,###.#");
        List<String> categories = new ArrayList<>();
        for (String clients : ParamValues.distinct(echo, "clients")) {
            for (String percentile : List.of("p50", "p99", "p99.9")) {
                categories.add(percentile + " · " + clients(clients));
            }
        }
        List<String> variants = Results.variants(echo);
        for (String variant : variants) {
            List<Double> values = new ArrayList<>();
            for (String clients : ParamValues.distinct(echo, "clients")) {
                Optional<Trial> trial = echo.stream()
                        .filter(t -> t.variant().equals(variant)
                                && t.param("clients").equals(clients))
                        .findFirst();
                for (Metric label : List.of(Metric.P50, Metric.P99, Metric.P999)) {
                    values.add(trial.flatMap(t -> t.metric(label))
                            .map(Score::score)
                            .orElse(null));
                }
            }
            chart.addSeries(variant, categories, values);
        }
        ChartStyle.colourByVariant(chart, variants);
        // Bars start at zero unless told otherwise, and a log axis has no zero: start at the decade below.
        double lowest = echo.stream()
                .flatMap(t -> t.metric(Metric.P50).stream())
                .mapToDouble(Score::score)
                .filter(v -> v > 0)
                .min()
                .orElse(1);
        chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(lowest))));
        return Optional.of(chart);
    }

    /** The server's CPU time per echo: the cost each mode pays per request, independent of the client. */
    static Optional<CategoryChart> cpuPerOp(Results results) {
        List<Trial> echo = results.baseline(BenchmarkClass.ECHO);
        if (!Results.anyHas(echo, Metric.SERVER_CPU_PER_OP)) {
            return Optional.empty();
        }
        CategoryChart chart =
                ChartStyle.bars("Server CPU time per echo", "concurrent clients · payload", "server CPU per echo (µs)");
        chart.getStyler().setYAxisDecimalPattern("#,##0.#");
        perVariant(chart, echo, Charts::clientsAndPayload, t -> t.metric(Metric.SERVER_CPU_PER_OP));
        return Optional.of(chart);
    }

    /**
     * Syscalls per echo stacked by kind, a bar per variant and client count: where each mode spends its calls
     * (epoll_ctl re-arms for oneshot, poll for the poll(2) baseline, extra reads for edge-triggered draining).
     */
    static Optional<CategoryChart> syscalls(Results results) {
        List<Trial> echo = middlePayload(results.baseline(BenchmarkClass.ECHO));
        if (!Results.anyHas(echo, Metric.SYSCALLS_TOTAL)) {
            return Optional.empty();
        }
        CategoryChart chart = ChartStyle.bars(
                "Syscalls per echo by kind, payload " + payloadOf(echo),
                "variant · concurrent clients",
                "syscalls per echo");
        chart.getStyler().setStacked(true);
        chart.getStyler().setYAxisDecimalPattern("#,##0.0");
        List<Trial> ordered = echo.stream()
                .sorted(Comparator.comparing(Trial::variant, Variants.order())
                        .thenComparing(t -> t.param("clients"), ParamValues::compare))
                .toList();
        List<String> categories = ordered.stream()
                .map(t -> t.variant() + " · " + clients(t.param("clients")))
                .toList();
        List<Color> colours = new ArrayList<>();
        for (Metric label : Metric.SYSCALL_KINDS) {
            List<Double> values = ordered.stream()
                    .map(t -> t.metric(Metric.SYSCALLS_TOTAL).isEmpty()
                            ? null
                            : t.metric(label).map(Score::score).orElse(0.0))
                    .toList();
            if (values.stream().anyMatch(v -> v != null && v > 0)) {
                chart.addSeries(label.syscallName(), categories, values);
                colours.add(syscallColour(label));
            }
        }
        chart.getStyler().setSeriesColors(colours.toArray(Color[]::new));
        return Optional.of(chart);
    }

    /** Server CPU per echo as silent connections are added: flat for epoll, rising for poll(2), if the seeds hold. */
    static Optional<CategoryChart> idleScaling(Results results) {
        List<Trial> idle = results.baseline(BenchmarkClass.IDLE);
        if (!Results.anyHas(idle, Metric.SERVER_CPU_PER_OP)) {
            return Optional.empty();
        }
        CategoryChart chart = ChartStyle.bars(
                "Server CPU per echo as idle connections are added",
                "idle connections (beside the active clients)",
                "server CPU per echo (µs)");
        chart.getStyler().setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
        chart.getStyler().setOverlapped(true); // Lines share each x position; bars would sit side by side.
        chart.getStyler().setYAxisDecimalPattern("#,##0.#");
        chart.getStyler().setMarkerSize(9);
        chart.getStyler().setYAxisMin(0.0);
        perVariant(chart, idle, t -> Numbers.count(t.param("idle")), t -> t.metric(Metric.SERVER_CPU_PER_OP));
        return Optional.of(chart);
    }

    /** MiB per second through a few connections streaming 1 MiB buffers. */
    static Optional<CategoryChart> bulk(Results results) {
        List<Trial> bulk = results.baseline(BenchmarkClass.BULK);
        if (bulk.isEmpty()) {
            return Optional.empty();
        }
        CategoryChart chart = ChartStyle.bars("Bulk streaming throughput", "streaming connections", "MiB per second");
        chart.getStyler().setYAxisDecimalPattern("#,###");
        perVariant(chart, bulk, t -> Numbers.count(t.param("connections")), t -> Optional.of(t.throughput()));
        return Optional.of(chart);
    }

    /** The server's peak RSS per variant, for the echo benchmark and each idle and bulk scenario. */
    static Optional<CategoryChart> memory(Results results) {
        Map<String, Map<String, Score>> groups = PeakRss.byGroup(results);
        if (groups.isEmpty()) {
            return Optional.empty();
        }
        CategoryChart chart = ChartStyle.bars("Server peak resident memory (VmHWM)", "benchmark", "peak RSS (MiB)");
        chart.getStyler().setYAxisDecimalPattern("#,###");
        List<String> categories = List.copyOf(groups.keySet());
        List<String> variants = groups.values().stream()
                .flatMap(g -> g.keySet().stream())
                .distinct()
                .sorted(Variants.order())
                .toList();
        for (String variant : variants) {
            List<Double> values = groups.values().stream()
                    .map(g -> g.containsKey(variant) ? g.get(variant).score() : null)
                    .toList();
            chart.addSeries(variant, categories, values);
        }
        ChartStyle.colourByVariant(chart, variants);
        return Optional.of(chart);
    }

    /**
     * A series per variant over the trials' categories (in trial order), with error bars when JMH gave margins
     * for all of them. A variant without a trial in some category leaves a gap there.
     */
    private static void perVariant(
            CategoryChart chart,
            List<Trial> trials,
            Function<Trial, String> category,
            Function<Trial, Optional<Score>> metric) {
        List<String> categories = trials.stream().map(category).distinct().toList();
        List<String> variants = Results.variants(trials);
        // A missing margin drawn as a zero-height error bar would read as "no error": all margins or none.
        boolean errorBars =
                trials.stream().map(metric).allMatch(m -> m.map(Score::hasError).orElse(true))
                        && trials.stream().map(metric).anyMatch(Optional::isPresent);
        for (String variant : variants) {
            List<Double> values = new ArrayList<>();
            List<Double> errors = new ArrayList<>();
            for (String c : categories) {
                Optional<Score> m = trials.stream()
                        .filter(t ->
                                t.variant().equals(variant) && category.apply(t).equals(c))
                        .findFirst()
                        .flatMap(metric);
                values.add(m.map(Score::score).orElse(null));
                errors.add(m.filter(Score::hasError).map(Score::error).orElse(0.0));
            }
            if (errorBars) {
                chart.addSeries(variant, categories, values, errors);
            } else {
                chart.addSeries(variant, categories, values);
            }
        }
        ChartStyle.colourByVariant(chart, variants);
    }

    /** Fixed colours per syscall kind, so "read" looks the same in every run's chart. */
    private static Color syscallColour(Metric label) {
        return switch (label) {
            case EPOLL_WAIT -> new Color(0x4c72b0);
            case POLL -> new Color(0xc44e52);
            case READ -> new Color(0x55a868);
            case WRITE -> new Color(0xdd8452);
            case EPOLL_CTL -> new Color(0x8172b3);
            default -> new Color(0x7f7f7f);
        };
    }

    private static String clientsAndPayload(Trial trial) {
        return clients(trial.param("clients")) + " · " + Numbers.bytes(trial.param("payload"));
    }

    /** {@code 1 client}, {@code 1,000 clients}: a bare number under a bar says too little. */
    private static String clients(String clients) {
        return Numbers.count(clients) + (clients.trim().equals("1") ? " client" : " clients");
    }

    private static List<Trial> middlePayload(List<Trial> echo) {
        String payload = ParamValues.median(echo, "payload");
        return echo.stream().filter(t -> t.param("payload").equals(payload)).toList();
    }

    private static String payloadOf(List<Trial> echo) {
        return echo.isEmpty() ? "" : Numbers.bytes(echo.get(0).param("payload"));
    }
}
