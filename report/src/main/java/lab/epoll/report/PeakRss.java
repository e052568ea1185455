package lab.epoll.report;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import lab.epoll.catalog.Metric;
import lab.epoll.catalog.Numbers;

/**
 * The server's peak resident memory, grouped the way it differs: the echo benchmark as one group (its highest
 * peak over all its scenarios), each idle-connection count on its own (that is where memory grows), and each
 * bulk scenario. The memory table and chart both show these groups.
 */
final class PeakRss {
    private PeakRss() {}

    /** Group label, e.g. {@code idle 10,000}, to each variant's peak RSS; groups in report order. */
    static Map<String, Map<String, Score>> byGroup(Results results) {
        Map<String, Map<String, Score>> groups = new LinkedHashMap<>();
        List<Trial> echo = results.baseline(BenchmarkClass.ECHO);
        if (!echo.isEmpty()) {
            Map<String, Score> highest = new LinkedHashMap<>();
            for (String variant : Results.variants(echo)) {
                echo.stream()
                        .filter(t -> t.variant().equals(variant))
                        .map(t -> t.metric(Metric.RSS_PEAK))
                        .flatMap(Optional::stream)
                        .max(Comparator.comparingDouble(Score::score))
                        .ifPresent(m -> highest.put(variant, m));
            }
            put(groups, "echo (highest)", highest);
        }
        addPerValue(groups, results.baseline(BenchmarkClass.IDLE), "idle", "idle ", "");
        addPerValue(groups, results.baseline(BenchmarkClass.BULK), "connections", "bulk ", " conns");
        return groups;
    }

    private static void addPerValue(
            Map<String, Map<String, Score>> groups, List<Trial> trials, String param, String prefix, String suffix) {
        for (String value : ParamValues.distinct(trials, param)) {
            Map<String, Score> byVariant = new LinkedHashMap<>();
            trials.stream()
                    .filter(t -> t.param(param).equals(value))
                    .forEach(t -> t.metric(Metric.RSS_PEAK).ifPresent(m -> byVariant.put(t.variant(), m)));
            put(groups, prefix + Numbers.count(value) + suffix, byVariant);
        }
    }

    private static void put(Map<String, Map<String, Score>> groups, String label, Map<String, Score> byVariant) {
        if (!byVariant.isEmpty()) {
            groups.put(label, byVariant);
        }
    }
}
