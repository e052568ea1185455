package lab.epoll.report;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import lab.epoll.catalog.Metric;
import lab.epoll.catalog.Saturation;
import lab.epoll.catalog.ServerOption;
import lab.epoll.catalog.TrialParam;

/**
 * One benchmark trial from results.json: one variant under one set of parameters, with its score and the
 * secondary metrics {@code ServerMetricsProfiler} added (absent ones, e.g. syscalls without perf, are simply
 * missing from {@code secondary}).
 *
 * @param benchmark JMH's full method name, e.g. {@code lab.epoll.jmh.bench.EchoBenchmark.echo}
 * @param params    every {@code @Param} value, as text
 * @param primary   JMH's primary score; the report reads {@link #throughput()}, which prefers the client's count
 * @param secondary the profiler's metrics keyed by label, e.g. {@code latency.p99.us}
 * @param setup     how JMH ran it
 */
public record Trial(
        String benchmark, Map<String, String> params, Score primary, Map<String, Score> secondary, RunSetup setup) {

    public Trial {
        params = Map.copyOf(params);
        secondary = Map.copyOf(secondary);
    }

    /** The benchmark class's simple name, e.g. {@code EchoBenchmark}. */
    public String benchmarkClass() {
        int method = benchmark.lastIndexOf('.');
        String owner = method < 0 ? benchmark : benchmark.substring(0, method);
        return owner.substring(owner.lastIndexOf('.') + 1);
    }

    public String variant() {
        return param(TrialParam.VARIANT.field());
    }

    /** The parameter's value, or "" when this benchmark has no such parameter. */
    public String param(String name) {
        return params.getOrDefault(name, "");
    }

    /**
     * The server options a tuning run added, e.g. {@code --busy-poll 50us}, with the idle timeout when the trial
     * ran with one; "" for a baseline trial.
     */
    public String serverArgs() {
        String idle = param(TrialParam.IDLE_TIMEOUT.field());
        String args = param(TrialParam.SERVER_ARGS.field()).trim();
        return TrialParam.IDLE_TIMEOUT.marksScenario(idle)
                ? (ServerOption.IDLE_TIMEOUT.with(idle) + " " + args).trim()
                : args;
    }

    /** A tuning run turns one server knob; its numbers are compared with the baseline, never mixed in. */
    public boolean isTuning() {
        return !serverArgs().isEmpty();
    }

    /**
     * Echoes per second (MiB per second for the bulk benchmark, whose ops are MiB): the client-side count the
     * harness reports as {@link Metric#ECHOES} when the trial has it, else JMH's primary score, which is what
     * results files from before that counter carry. Every table and chart reads the throughput from here.
     */
    public Score throughput() {
        return metric(Metric.ECHOES).orElse(primary);
    }

    /**
     * Which side ran out of CPU, from the cores each used and the CPUs it was pinned to; empty for a run that
     * did not record its CPU layout (before the harness pinned server and client apart).
     */
    public Optional<Saturation> saturation() {
        String serverCpus = param(TrialParam.SERVER_CPUS.field());
        String clientCpus = param(TrialParam.CLIENT_CPUS.field());
        Optional<Score> server = metric(Metric.SERVER_CORES);
        Optional<Score> client = metric(Metric.CLIENT_CORES);
        Optional<Score> pacing = metric(Metric.PACING_P99);
        if (Saturation.hogged(param(Saturation.HOG_PARAM))
                && pacing.isPresent()
                && server.isPresent()
                && !serverCpus.isEmpty()) {
            return Optional.of(Saturation.withHog(
                    server.get().score(), serverCpus, pacing.get().score()));
        }
        if (pacing.isPresent() && server.isPresent() && !serverCpus.isEmpty()) {
            return Optional.of(Saturation.openLoop(
                    server.get().score(), serverCpus, pacing.get().score()));
        }
        if (serverCpus.isEmpty() || clientCpus.isEmpty() || server.isEmpty() || client.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(
                Saturation.of(server.get().score(), serverCpus, client.get().score(), clientCpus));
    }

    /** A secondary metric, empty when this trial did not measure it (or measured nothing usable). */
    public Optional<Score> metric(Metric metric) {
        return Optional.ofNullable(secondary.get(metric.label())).filter(m -> Double.isFinite(m.score()));
    }

    /** A secondary result by its label, for the families of labels {@link Metric} builds (e.g. per-thread shares). */
    public Optional<Double> secondaryScore(String label) {
        return Optional.ofNullable(secondary.get(label)).map(Score::score).filter(Double::isFinite);
    }

    /** The scenario parameters (everything but the server's), e.g. clients and payload, in name order. */
    public Map<String, String> scenario() {
        Map<String, String> scenario = new LinkedHashMap<>();
        params.entrySet().stream()
                .filter(e -> !TrialParam.isSetup(e.getKey()))
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> scenario.put(e.getKey(), e.getValue()));
        return scenario;
    }

    /** Orders trials by scenario, numbers numerically (1 before 50 before 1000), then by variant. */
    public static Comparator<Trial> byScenarioThenVariant() {
        return Comparator.<Trial, String>comparing(Trial::benchmarkClass)
                .thenComparing(Trial::scenario, Trial::compareScenarios)
                .thenComparing(Trial::variant, Variants.order())
                .thenComparing(Trial::serverArgs);
    }

    private static int compareScenarios(Map<String, String> a, Map<String, String> b) {
        for (Map.Entry<String, String> entry : a.entrySet()) {
            int c = ParamValues.compare(entry.getValue(), b.getOrDefault(entry.getKey(), ""));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }
}
