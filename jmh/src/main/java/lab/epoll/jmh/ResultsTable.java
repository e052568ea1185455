package lab.epoll.jmh;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import lab.epoll.catalog.Metric;
import lab.epoll.catalog.Numbers;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/** The compact Markdown table the harness prints after a run: one row per trial, the numbers that compare. */
public final class ResultsTable {
    private static final List<Metric> METRICS = List.of(Metric.P50, Metric.P99, Metric.P999,
            Metric.SERVER_CPU_PER_OP, Metric.EPOLL_WAIT, Metric.POLL, Metric.READ, Metric.WRITE, Metric.EPOLL_CTL,
            Metric.EVENTS_PER_WAIT, Metric.SERVER_CORES, Metric.CLIENT_CORES, Metric.RSS_PEAK);

    private ResultsTable() {
    }

    public static String markdown(Collection<RunResult> results) {
        List<String> header = new ArrayList<>(List.of("benchmark", "variant", "scenario", "ops/s", "±"));
        for (Metric metric : METRICS) {
            header.add(metric.header());
        }
        StringBuilder out = new StringBuilder();
        row(out, header);
        row(out, header.stream().map(h -> "---").toList());
        for (RunResult run : results) {
            BenchmarkParams params = run.getParams();
            Result primary = run.getPrimaryResult();
            Map<String, Result> secondary = run.getSecondaryResults();
            List<String> cells = new ArrayList<>();
            String benchmark = params.getBenchmark();
            cells.add(benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1));
            cells.add(params.getParam("variant"));
            cells.add(scenario(params));
            cells.add(number(primary.getScore()));
            cells.add(number(primary.getScoreError()));
            for (Metric metric : METRICS) {
                Result r = secondary.get(metric.label());
                cells.add(r == null ? "" : number(r.getScore()));
            }
            row(out, cells);
        }
        return out.toString();
    }

    /** The parameters that vary within a benchmark, e.g. {@code clients=50 payload=512}. */
    private static String scenario(BenchmarkParams params) {
        List<String> parts = new ArrayList<>();
        for (String key : params.getParamsKeys()) {
            if (!key.equals("variant") && !key.equals("serverJvm")
                    && !(key.equals("serverArgs") && params.getParam(key).isEmpty())) {
                parts.add(key + "=" + params.getParam(key));
            }
        }
        return String.join(" ", parts);
    }

    private static String number(double value) {
        return Double.isNaN(value) ? "" : Numbers.rounded(value);
    }

    private static void row(StringBuilder out, List<String> cells) {
        out.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }
}
