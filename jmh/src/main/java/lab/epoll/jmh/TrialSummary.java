package lab.epoll.jmh;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import lab.epoll.catalog.Metric;
import lab.epoll.catalog.Numbers;
import lab.epoll.catalog.Saturation;
import lab.epoll.catalog.TrialParam;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/**
 * One finished trial as the lab reads it: its benchmark, variant and scenario, each {@link Metric} with its
 * error margin, and which side ran out of CPU ({@link Saturation}).
 */
public record TrialSummary(
        String benchmark, String variant, String scenario, Map<Metric, Result<?>> metrics, Saturation saturation) {
    public static TrialSummary of(RunResult run) {
        BenchmarkParams params = run.getParams();
        Map<String, Result> secondary = run.getSecondaryResults();
        Map<Metric, Result<?>> metrics = new java.util.EnumMap<>(Metric.class);
        for (Metric metric : Metric.values()) {
            Result<?> r = secondary.get(metric.label());
            if (r != null && Double.isFinite(r.getScore())) {
                metrics.put(metric, r);
            }
        }
        String benchmark = params.getBenchmark();
        String shortName = benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
        String serverCpus = params.getParam(TrialParam.SERVER_CPUS.field());
        String hog =
                params.getParamsKeys().contains(Saturation.HOG_PARAM) ? params.getParam(Saturation.HOG_PARAM) : null;
        Saturation saturation = Saturation.hogged(hog)
                ? Saturation.withHog(score(metrics, Metric.SERVER_CORES), serverCpus, score(metrics, Metric.PACING_P99))
                : metrics.containsKey(Metric.PACING_P99)
                        ? Saturation.openLoop(
                                score(metrics, Metric.SERVER_CORES), serverCpus, score(metrics, Metric.PACING_P99))
                        : Saturation.of(
                                score(metrics, Metric.SERVER_CORES),
                                serverCpus,
                                score(metrics, Metric.CLIENT_CORES),
                                params.getParam(TrialParam.CLIENT_CPUS.field()));
        return new TrialSummary(
                shortName, params.getParam(TrialParam.VARIANT.field()), scenario(params), metrics, saturation);
    }

    private static double score(Map<Metric, Result<?>> metrics, Metric metric) {
        Result<?> r = metrics.get(metric);
        return r == null ? 0 : r.getScore();
    }

    /** The parameters that vary within a benchmark, e.g. {@code clients=50 payload=512}. */
    private static String scenario(BenchmarkParams params) {
        List<String> parts = new ArrayList<>();
        for (String key : params.getParamsKeys()) {
            String value = params.getParam(key);
            // The setup stays out, but for what changes the server under test: a tuning knob, an idle timeout, an
            // external target.
            boolean shown =
                    TrialParam.named(key).map(p -> p.marksScenario(value)).orElse(!value.isEmpty());
            if (shown) {
                parts.add(key + "=" + value);
            }
        }
        return String.join(" ", parts);
    }

    /** The metric's score, or null when the trial did not measure it. */
    public Double value(Metric metric) {
        Result<?> r = metrics.get(metric);
        return r == null ? null : r.getScore();
    }

    /** {@code 91,234 ± 1,020}, the score and JMH's 99.9% margin; {@link Numbers#MISSING} when not measured. */
    public String withError(Metric metric) {
        Result<?> r = metrics.get(metric);
        return r == null ? Numbers.MISSING : Numbers.withError(r.getScore(), r.getScoreError());
    }

    /** The metric's score alone, or {@link Numbers#MISSING}. */
    public String rounded(Metric metric) {
        Double v = value(metric);
        return v == null ? Numbers.MISSING : Numbers.rounded(v);
    }

    /**
     * A progress line: throughput, the server's and the client's CPU per echo, and the saturated side; for the
     * open loop, the achieved against the offered rate, the p99 and the pacing error instead.
     */
    public String oneLine() {
        if (value(Metric.LOOP_JAIN) != null) {
            return withError(Metric.ECHOES) + " connections/s, " + rounded(Metric.NEWCOMERS_UNANSWERED) + " of "
                    + rounded(Metric.NEWCOMERS) + " unanswered, wait p99 " + rounded(Metric.NEWCOMER_P99)
                    + " ms; per connection " + rounded(Metric.CONTEXT_SWITCHES) + " switches, "
                    + rounded(Metric.ACCEPT_EMPTY_PER_OP) + " empty accepts, " + rounded(Metric.SERVER_CPU_PER_OP)
                    + " us; loops: busiest " + rounded(Metric.LOOP_SHARE_MAX) + "%, idlest "
                    + rounded(Metric.LOOP_SHARE_MIN) + "%, Jain " + rounded(Metric.LOOP_JAIN);
        }
        if (value(Metric.NEWCOMERS) != null) {
            return "newcomers: " + rounded(Metric.NEWCOMERS_UNANSWERED) + " of " + rounded(Metric.NEWCOMERS)
                    + " unanswered, wait p50 " + rounded(Metric.NEWCOMER_P50) + " ms, p99 "
                    + rounded(Metric.NEWCOMER_P99) + " ms; busy " + withError(Metric.ECHOES) + " echoes/s, Jain "
                    + rounded(Metric.BUSY_JAIN) + "; server " + rounded(Metric.SERVER_CPU_PER_OP) + " us/echo, "
                    + saturation.cell() + "-bound";
        }
        if (value(Metric.OFFERED) != null) {
            return withError(Metric.ECHOES) + " echoes/s of " + rounded(Metric.OFFERED) + " offered, p99 "
                    + rounded(Metric.P99) + " us, pacing p99 " + rounded(Metric.PACING_P99) + " us, server "
                    + rounded(Metric.SERVER_CPU_PER_OP) + " us/echo";
        }
        return withError(Metric.ECHOES) + " echoes/s, server " + rounded(Metric.SERVER_CPU_PER_OP)
                + " us/echo, client " + rounded(Metric.CLIENT_CPU_PER_OP) + " us/echo, " + saturation.cell()
                + "-bound";
    }
}
