package lab.epoll.report;

import java.awt.BasicStroke;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import lab.epoll.catalog.MarkdownTable;
import lab.epoll.catalog.Metric;
import lab.epoll.catalog.Numbers;
import lab.epoll.catalog.Saturation;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The latency-vs-load sweep ({@code --curve}, the open loop at several offered rates): a chart of p50, p99 and
 * p99.9 against the offered rate, one colour per variant and a log latency axis, and a table with a sentence
 * per variant on where its curve bends.
 */
final class LoadCurve {
    static final String CHART = "latency-vs-load.png";
    /**
     * The knee: the last rate whose p90 stays within this factor of the variant's p90 at the lowest rate. p90, not
     * p99: the client is itself late by milliseconds now and then (the pacing column), which moves p99 at any rate.
     */
    static final double KNEE_FACTOR = 3;
    /** A point kept up when its achieved rate is within this fraction of the offered one. */
    static final double KEPT_UP = 0.95;

    private LoadCurve() {}

    /** The open-loop trials of {@code results}, by variant and then offered rate. */
    static List<Trial> trials(Results results) {
        return results.baseline(BenchmarkClass.OPEN_LOOP).stream()
                .sorted(Comparator.comparing(Trial::variant, Variants.order()).thenComparingDouble(LoadCurve::offered))
                .toList();
    }

    private static double offered(Trial trial) {
        return Double.parseDouble(trial.param("rate"));
    }

    /** The table of the sweep and, under it, where each variant's curve bends. */
    static String markdown(Results results) {
        List<Trial> trials = trials(results);
        if (trials.isEmpty()) {
            return "_No open-loop trials in this run._";
        }
        MarkdownTable table = new MarkdownTable(
                2,
                "variant",
                "offered/s",
                "achieved/s",
                "p50 µs",
                "p90 µs",
                "p99 µs",
                "p99.9 µs",
                "max µs",
                "pacing p99 µs",
                "kept up");
        for (Trial t : trials) {
            table.row(
                    t.variant(),
                    Numbers.count(t.param("rate")),
                    Score.text(t.throughput()),
                    value(t, Metric.P50),
                    value(t, Metric.P90),
                    value(t, Metric.P99),
                    value(t, Metric.P999),
                    value(t, Metric.MAX),
                    value(t, Metric.PACING_P99),
                    keptUp(t) ? "yes" : "**no**");
        }
        StringBuilder out = new StringBuilder(table.render()).append('\n');
        Trial first = trials.get(0);
        out.append("Open loop, ")
                .append(Numbers.count(first.param("clients")))
                .append(" connections × ")
                .append(Numbers.bytes(first.param("payload")))
                .append(", one trial per cell; latency from each")
                .append(" request's due time to its echo. The knee: the last offered rate at which the server")
                .append(" kept up (achieved ≥ ")
                .append(Math.round(KEPT_UP * 100))
                .append("% of offered) and p90")
                .append(" stayed within ")
                .append(Numbers.rounded(KNEE_FACTOR))
                .append("x its p90 at the lowest rate;")
                .append(" p90 because the client itself is late by milliseconds now and then (pacing p99), which moves")
                .append(" p99 at every rate. Where the client fell more than ")
                .append(Numbers.rounded(Saturation.CLIENT_LATE_MICROS / 1000))
                .append(" ms behind its schedule (pacing p99), the")
                .append(" curve is the client's.\n\n");
        for (String variant : Results.variants(trials)) {
            out.append("- ")
                    .append(knee(trials.stream()
                            .filter(t -> t.variant().equals(variant))
                            .toList()))
                    .append('\n');
        }
        return out.toString();
    }

    /** One sentence on where a variant's curve bends; its trials in rate order. */
    static String knee(List<Trial> curve) {
        String variant = curve.get(0).variant();
        Optional<Double> base = curve.get(0).metric(Metric.P90).map(Score::score);
        if (base.isEmpty()) {
            return "**" + variant + "**: no latencies recorded.";
        }
        Trial last = null;
        Trial bent = null;
        for (Trial t : curve) {
            boolean low = t.metric(Metric.P90)
                    .map(p -> p.score() <= KNEE_FACTOR * base.get())
                    .orElse(false);
            if (keptUp(t) && low) {
                last = t;
            } else {
                bent = t;
                break;
            }
        }
        String from = value(curve.get(0), Metric.P90) + " µs at " + rate(curve.get(0));
        if (last == null) {
            return "**" + variant + "**: already past its knee at the lowest rate (p90 " + from + ").";
        }
        String kept = "p90 " + from + ", " + value(last, Metric.P90) + " µs at " + rate(last);
        if (bent == null) {
            return "**" + variant + "**: no knee up to " + rate(last) + " (" + kept + ").";
        }
        if (clientLate(bent)) {
            return "**" + variant + "**: no knee this client can show: on schedule up to " + rate(last) + " (" + kept
                    + "); at " + rate(bent) + " the client itself fell behind its schedule (pacing p99 "
                    + value(bent, Metric.PACING_P99) + " µs), so the curve from there is the client's.";
        }
        return "**" + variant + "**: the knee is between " + rate(last) + " and " + rate(bent) + ": " + kept
                + ", then " + value(bent, Metric.P90) + " µs (p99 " + value(bent, Metric.P99) + " µs) with "
                + Score.text(bent.throughput()) + " achieved.";
    }

    private static String rate(Trial trial) {
        return Numbers.count(trial.param("rate")) + "/s";
    }

    /** Whether the client's own lateness (pacing p99) is past {@link Saturation#CLIENT_LATE_MICROS}. */
    private static boolean clientLate(Trial trial) {
        return trial.metric(Metric.PACING_P99)
                .map(p -> Saturation.clientLate(p.score()))
                .orElse(false);
    }

    /** Whether the server echoed at least {@link #KEPT_UP} of the offered rate. */
    private static boolean keptUp(Trial trial) {
        return trial.throughput().score() >= KEPT_UP * offered(trial);
    }

    private static String value(Trial trial, Metric metric) {
        return trial.metric(metric).map(m -> Numbers.rounded(m.score())).orElse(Numbers.MISSING);
    }

    /** p50, p99 and p99.9 against the offered rate; empty without open-loop trials. */
    static Optional<XYChart> chart(Results results) {
        List<Trial> trials = trials(results);
        if (trials.isEmpty()) {
            return Optional.empty();
        }
        XYChart chart = new XYChartBuilder()
                .width(ChartStyle.WIDTH)
                .height(ChartStyle.HEIGHT + 100)
                .title("Latency at a given load (open loop; ◆ p50, ● p99, ▲ p99.9)")
                .xAxisTitle("offered requests/s")
                .yAxisTitle("latency from due time (µs, log)")
                .build();
        style(chart);
        for (String variant : Results.variants(trials)) {
            List<Trial> curve =
                    trials.stream().filter(t -> t.variant().equals(variant)).toList();
            add(chart, variant, curve, Metric.P50, "p50", SeriesLines.DASH_DASH, SeriesMarkers.DIAMOND);
            add(chart, variant, curve, Metric.P99, "p99", SeriesLines.SOLID, SeriesMarkers.CIRCLE);
            add(chart, variant, curve, Metric.P999, "p99.9", SeriesLines.DOT_DOT, SeriesMarkers.TRIANGLE_UP);
        }
        return Optional.of(chart);
    }

    private static void add(
            XYChart chart,
            String variant,
            List<Trial> curve,
            Metric metric,
            String name,
            BasicStroke line,
            Marker marker) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (Trial t : curve) {
            t.metric(metric).filter(m -> m.score() > 0).ifPresent(m -> {
                x.add(offered(t));
                y.add(m.score());
            });
        }
        if (x.isEmpty()) {
            return;
        }
        XYSeries series = chart.addSeries(variant + " " + name, x, y);
        series.setLineColor(Variants.color(variant));
        series.setMarkerColor(Variants.color(variant));
        series.setLineStyle(line);
        series.setMarker(marker);
        // Only p99 in the legend: one entry per variant; the markers for the percentiles are in the title.
        series.setShowInLegend(name.equals("p99"));
    }

    private static void style(XYChart chart) {
        var styler = chart.getStyler();
        ChartStyle.apply(styler);
        styler.setYAxisLogarithmic(true);
        styler.setMarkerSize(7);
        styler.setXAxisDecimalPattern("#,###");
        styler.setYAxisDecimalPattern("#,###");
    }
}
