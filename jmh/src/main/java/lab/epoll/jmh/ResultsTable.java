package lab.epoll.jmh;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import lab.epoll.jmh.report.Numbers;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/** The compact Markdown table the harness prints after a run: one row per trial, the numbers that compare. */
public final class ResultsTable {
    private static final String[][] METRICS = {
        {"p50 us", "latency.p50.us"}, {"p99 us", "latency.p99.us"}, {"p99.9 us", "latency.p999.us"},
        {"srv CPU us/op", "server.cpu.us/op"}, {"epoll_wait/op", "sys.epoll_wait/op"}, {"poll/op", "sys.poll/op"},
        {"read/op", "sys.read/op"}, {"write/op", "sys.write/op"}, {"epoll_ctl/op", "sys.epoll_ctl/op"},
        {"events/wait", "events/wait"}, {"srv cores", "server.cpu.cores"}, {"client cores", "client.cpu.cores"},
        {"RSS MiB", "server.rss.peak.MiB"},
    };

    private ResultsTable() {
    }

    public static String markdown(Collection<RunResult> results) {
        List<String> header = new ArrayList<>(List.of("benchmark", "variant", "scenario", "ops/s", "±"));
        for (String[] metric : METRICS) {
            header.add(metric[0]);
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
            for (String[] metric : METRICS) {
                Result r = secondary.get(metric[1]);
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
