package lab.epoll.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import lab.epoll.catalog.MarkdownTable;
import lab.epoll.catalog.Metric;
import lab.epoll.catalog.Numbers;
import lab.epoll.catalog.Saturation;
import lab.epoll.catalog.TrialParam;

/**
 * The Markdown that goes between PERFORMANCE.md's report markers, one method per block. Tables have a row per
 * variant within each scenario and show every score with JMH's error margin ("n/a" when JMH had none);
 * metrics a run did not measure show as "—", and a block with nothing to show says so in one line instead of
 * an empty table (a block the run has no trials for at all is only written into a new PERFORMANCE.md; an
 * existing one keeps what it had, see {@link PerformanceReport}). Tuning runs ({@code serverArgs} set) appear
 * only in {@link #tuning}.
 */
final class MarkdownTables {
    private MarkdownTables() {}

    /** What results.json says about how the numbers were taken, and which trials there are. */
    static String run(Results results) {
        if (results.trials().isEmpty()) {
            return "_results.json has no trials._";
        }
        StringBuilder out = new StringBuilder();
        for (RunSetup s : results.setups()) {
            out.append("- JMH ")
                    .append(s.jmhVersion())
                    .append(", ")
                    .append(s.vmName())
                    .append(' ')
                    .append(s.jdkVersion())
                    .append(" (")
                    .append(s.vmVersion())
                    .append("), ")
                    .append(plural(s.threads(), "benchmark thread"))
                    .append('\n');
            out.append("- ")
                    .append(plural(s.forks(), "fork"))
                    .append("; warmup ")
                    .append(s.warmupIterations())
                    .append(" × ")
                    .append(s.warmupTime())
                    .append("; measurement ")
                    .append(s.measurementIterations())
                    .append(" × ")
                    .append(s.measurementTime())
                    .append('\n');
        }
        List<String> serverJvms = results.trials().stream()
                .map(t -> t.param(TrialParam.SERVER_JVM.field()))
                .distinct()
                .toList();
        out.append("- Server JVM flags: ")
                .append(serverJvms.stream().map(MarkdownTables::code).collect(Collectors.joining(", ")))
                .append('\n');
        out.append("- ").append(plural(results.trials().size(), "trial"));
        if (!results.tuning().isEmpty()) {
            out.append(", ").append(results.tuning().size()).append(" of them tuning runs");
        }
        out.append('\n');
        if (results.trials().stream().anyMatch(t -> !t.throughput().hasError())) {
            out.append("- Margins are JMH's 99.9% confidence intervals; \"n/a\" where JMH gives none"
                    + " (3 or more measurement iterations over all forks are needed)\n");
        }
        out.append('\n');
        MarkdownTable table = new MarkdownTable(5, "#", "benchmark", "variant", "scenario", "server args");
        int n = 0;
        for (Trial t : results.trials()) {
            table.row(
                    String.valueOf(++n),
                    t.benchmarkClass(),
                    t.variant(),
                    scenarioText(t),
                    t.isTuning() ? code(t.serverArgs()) : "");
        }
        return out.append(table.render()).toString();
    }

    /** Echoes per second and the bytes they move, per client count and payload. */
    static String throughput(Results results) {
        return byScenario(
                results.baseline(BenchmarkClass.ECHO),
                "No echo trials in this run.",
                List.of(Metric.ECHOES.header(), Metric.MIB_PER_S.header(), "bound"),
                t -> List.of(
                        Score.text(t.throughput()),
                        Score.text(t.metric(Metric.MIB_PER_S)),
                        t.saturation().map(Saturation::cell).orElse(Numbers.MISSING)));
    }

    /** Round-trip latency percentiles as the client saw them (every round trip recorded). */
    static String latency(Results results) {
        List<Trial> echo = results.baseline(BenchmarkClass.ECHO);
        if (!echo.isEmpty() && !Results.anyHas(echo, Metric.P50)) {
            return "_No latency percentiles in this run._";
        }
        return byScenario(
                echo,
                "No echo trials in this run.",
                List.of("p50 µs", "p99 µs", "p99.9 µs", "mean µs"),
                t -> List.of(
                        metric(t, Metric.P50), metric(t, Metric.P99), metric(t, Metric.P999), metric(t, Metric.MEAN)));
    }

    /** CPU per echo on each side, and how busy each side was: a client-bound trial measured the client. */
    static String cpu(Results results) {
        return byScenario(
                results.baseline(BenchmarkClass.ECHO),
                "No echo trials in this run.",
                List.of("server CPU µs/echo", "client CPU µs/echo", "server cores", "client cores", "bound"),
                t -> List.of(
                        metric(t, Metric.SERVER_CPU_PER_OP),
                        metric(t, Metric.CLIENT_CPU_PER_OP),
                        metric(t, Metric.SERVER_CORES),
                        metric(t, Metric.CLIENT_CORES),
                        t.saturation().map(Saturation::cell).orElse(Numbers.MISSING)));
    }

    /** perf's syscall counts per echo by kind, and how many ready events each wait returned. */
    static String syscalls(Results results) {
        List<Trial> echo = results.baseline(BenchmarkClass.ECHO);
        if (!echo.isEmpty() && !Results.anyHas(echo, Metric.SYSCALLS_TOTAL)) {
            return noSyscalls();
        }
        List<String> header = new ArrayList<>();
        Metric.SYSCALL_KINDS.forEach(label -> header.add(label.syscallName()));
        header.add("total");
        header.add(Metric.EVENTS_PER_WAIT.header());
        return byScenario(echo, "No echo trials in this run.", header, t -> {
                    List<String> cells = new ArrayList<>();
                    Metric.SYSCALL_KINDS.forEach(label -> cells.add(Score.text(t.metric(label))));
                    cells.add(Score.text(t.metric(Metric.SYSCALLS_TOTAL)));
                    cells.add(Score.text(t.metric(Metric.EVENTS_PER_WAIT)));
                    return cells;
                })
                + "\nSyscalls per echo, counted by perf over each measurement iteration.\n";
    }

    /**
     * The transport sweep ({@code --transports}): per client count, each transport's echoes and CPU per echo,
     * also relative to Netty 4.1's epoll (et) in the same scenario, and the syscalls that tell the transports apart.
     */
    static String transports(Results results) {
        List<Trial> echo = results.baseline(BenchmarkClass.ECHO);
        String reference = lab.epoll.catalog.ServerVariant.ET.name();
        return byScenario(
                        echo,
                        "No transport sweep in this run.",
                        List.of(
                                Metric.ECHOES.header(),
                                "vs " + reference,
                                "srv CPU µs/echo",
                                "vs " + reference,
                                "p50 µs",
                                "p99 µs",
                                Metric.EPOLL_WAIT.header(),
                                Metric.IO_URING_ENTER.header(),
                                Metric.SQES_PER_ENTER.header(),
                                Metric.IO_WQ_PER_OP.header(),
                                "bound"),
                        t -> {
                            Optional<Trial> et = echo.stream()
                                    .filter(o -> o.variant().equals(reference)
                                            && o.scenario().equals(t.scenario()))
                                    .findFirst();
                            return List.of(
                                    Score.text(t.throughput()),
                                    et.map(o -> Numbers.change(
                                                    o.throughput().score(),
                                                    t.throughput().score()))
                                            .orElse(Numbers.MISSING),
                                    value(t, Metric.SERVER_CPU_PER_OP),
                                    et.map(o -> change(o, t, Metric.SERVER_CPU_PER_OP))
                                            .orElse(Numbers.MISSING),
                                    value(t, Metric.P50),
                                    value(t, Metric.P99),
                                    value(t, Metric.EPOLL_WAIT),
                                    value(t, Metric.IO_URING_ENTER),
                                    value(t, Metric.SQES_PER_ENTER),
                                    value(t, Metric.IO_WQ_PER_OP),
                                    t.saturation().map(Saturation::cell).orElse(Numbers.MISSING));
                        })
                + "\nOne trial per cell (relative columns compare single trials: drift between trials is ±20-30% here);"
                + " the paired comparisons below carry the intervals.\n";
    }

    private static String value(Trial trial, Metric metric) {
        return trial.metric(metric).map(m -> Numbers.rounded(m.score())).orElse(Numbers.MISSING);
    }

    private static String change(Trial baseline, Trial trial, Metric metric) {
        return baseline.metric(metric)
                .flatMap(b -> trial.metric(metric).map(v -> Numbers.change(b.score(), v.score())))
                .orElse(Numbers.MISSING);
    }

    /**
     * The exercise's own benchmark ({@code --exercise}): 10,000 connections × 10 requests per variant, under the
     * figures the exercise expects for its LT and ET servers ({@link ExerciseExpectations}). Latencies in ms and CPU in % of one core, as the
     * exercise gives them; syscalls per request.
     */
    static String exercise(Results results) {
        List<Trial> trials = results.baseline(BenchmarkClass.EXERCISE);
        if (trials.isEmpty()) {
            return "_No exercise trials in this run._";
        }
        MarkdownTable table = new MarkdownTable(
                1,
                "server",
                "req/s",
                "bound",
                "mean ms",
                "p50 ms",
                "p99 ms",
                "server CPU %",
                "srv CPU µs/req",
                "peak RSS MiB",
                "epoll_wait/req",
                "read/req",
                "epoll_ctl/req");
        String none = Numbers.MISSING;
        for (ExerciseExpectations.Row expected : ExerciseExpectations.read().rows()) {
            table.row(
                    "_exercise, " + expected.server() + " (expected)_",
                    expected.requestsPerSecond(),
                    none,
                    expected.latencyMs(),
                    none,
                    none,
                    expected.cpuPercent(),
                    none,
                    none,
                    expected.waitsPerRequest(),
                    none,
                    none);
        }
        for (Trial t : trials) {
            table.row(
                    t.variant(),
                    Score.text(t.throughput()),
                    t.saturation().map(Saturation::cell).orElse(none),
                    millis(t, Metric.MEAN),
                    millis(t, Metric.P50),
                    millis(t, Metric.P99),
                    t.metric(Metric.SERVER_CORES)
                            .map(c -> Numbers.rounded(c.score() * 100))
                            .orElse(none),
                    value(t, Metric.SERVER_CPU_PER_OP),
                    value(t, Metric.RSS_PEAK),
                    value(t, Metric.EPOLL_WAIT),
                    value(t, Metric.READ),
                    value(t, Metric.EPOLL_CTL));
        }
        Trial first = trials.get(0);
        return table.render() + "\n" + Numbers.count(first.param("connections")) + " connections × "
                + first.param("requests") + " requests of " + Numbers.bytes(first.param("payload"))
                + ", each burst timed from the first connect to the last close; one trial per variant, the mean of its"
                + " measured bursts (± JMH's 99.9% margin on req/s). The exercise's expected rows are its own figures,"
                + " as [docs/exercise.md](docs/exercise.md#expected-figures) gives them.\n";
    }

    private static String millis(Trial trial, Metric microseconds) {
        return trial.metric(microseconds)
                .map(m -> Numbers.rounded(m.score() / 1000))
                .orElse(Numbers.MISSING);
    }

    /** Idle-connection scaling: 50 active clients among K silent connections, where epoll and poll part ways. */
    static String idle(Results results) {
        List<Trial> idle = results.baseline(BenchmarkClass.IDLE);
        List<String> header = new ArrayList<>(List.of("echoes/s", "server CPU µs/echo", "p99 µs"));
        boolean syscalls = Results.anyHas(idle, Metric.SYSCALLS_TOTAL);
        if (syscalls) {
            header.addAll(List.of("epoll_wait/echo", "poll/echo"));
        }
        header.add("peak RSS MiB");
        return byScenario(idle, "No idle-connection trials in this run.", header, t -> {
            List<String> cells = new ArrayList<>(
                    List.of(Score.text(t.throughput()), metric(t, Metric.SERVER_CPU_PER_OP), metric(t, Metric.P99)));
            if (syscalls) {
                cells.add(Score.text(t.metric(Metric.EPOLL_WAIT)));
                cells.add(Score.text(t.metric(Metric.POLL)));
            }
            cells.add(metric(t, Metric.RSS_PEAK));
            return cells;
        });
    }

    /** Bulk streaming: MiB echoed per second; per-op metrics are per MiB here. */
    static String bulk(Results results) {
        List<Trial> bulk = results.baseline(BenchmarkClass.BULK);
        List<String> header = new ArrayList<>(List.of(Metric.MIB_PER_S.header(), "server CPU µs/MiB", "server cores"));
        boolean syscalls = Results.anyHas(bulk, Metric.SYSCALLS_TOTAL);
        if (syscalls) {
            header.addAll(List.of("read/MiB", "write/MiB"));
        }
        return byScenario(bulk, "No bulk-stream trials in this run.", header, t -> {
            List<String> cells = new ArrayList<>(List.of(
                    Score.text(t.throughput()), metric(t, Metric.SERVER_CPU_PER_OP), metric(t, Metric.SERVER_CORES)));
            if (syscalls) {
                cells.add(Score.text(t.metric(Metric.READ)));
                cells.add(Score.text(t.metric(Metric.WRITE)));
            }
            return cells;
        });
    }

    /** Peak RSS (VmHWM) per variant: a row per variant, a column per group of scenarios. */
    static String memory(Results results) {
        Map<String, Map<String, Score>> groups = PeakRss.byGroup(results);
        if (groups.isEmpty()) {
            return "_No peak RSS in this run._";
        }
        List<String> header = new ArrayList<>(List.of("variant"));
        header.addAll(groups.keySet());
        MarkdownTable table = new MarkdownTable(1, header.toArray(String[]::new));
        List<String> variants = groups.values().stream()
                .flatMap(m -> m.keySet().stream())
                .distinct()
                .sorted(Variants.order())
                .toList();
        for (String variant : variants) {
            List<String> row = new ArrayList<>(List.of(variant));
            groups.values().forEach(g -> row.add(Score.text(Optional.ofNullable(g.get(variant)))));
            table.row(row);
        }
        return table.render() + "\nPeak resident memory of the server process in MiB (VmHWM).\n";
    }

    /** Each tuning run next to the baseline trial it changes one knob of. */
    static String tuning(Results results) {
        List<Trial> tuned = results.tuning();
        if (tuned.isEmpty()) {
            return "_No tuning runs in this run (none set `serverArgs`)._";
        }
        MarkdownTable table = new MarkdownTable(
                4,
                "benchmark",
                "scenario",
                "variant",
                "server args",
                "score baseline",
                "score tuned",
                "change",
                "p99 µs baseline",
                "p99 µs tuned",
                "CPU µs/op baseline",
                "CPU µs/op tuned");
        for (Trial t : tuned) {
            Optional<Trial> base = results.baselineOf(t);
            table.row(
                    t.benchmarkClass().replace("Benchmark", ""),
                    scenarioText(t),
                    t.variant(),
                    code(t.serverArgs()),
                    base.map(b -> Score.text(b.throughput())).orElse(Numbers.MISSING),
                    Score.text(t.throughput()),
                    Numbers.change(
                            base.map(b -> b.throughput().score()).orElse(Double.NaN),
                            t.throughput().score()),
                    base.map(b -> metric(b, Metric.P99)).orElse(Numbers.MISSING),
                    metric(t, Metric.P99),
                    base.map(b -> metric(b, Metric.SERVER_CPU_PER_OP)).orElse(Numbers.MISSING),
                    metric(t, Metric.SERVER_CPU_PER_OP));
        }
        return table.render() + "\nScores are echoes/s (MiB/s for BulkStream); \"—\" where the run had no"
                + " baseline trial with the same parameters.\n";
    }

    /**
     * A table with the trials' scenario parameters first (e.g. clients, payload), then the variant, then the
     * given columns; rows in scenario order, a row per variant.
     */
    private static String byScenario(
            List<Trial> trials, String none, List<String> columns, Function<Trial, List<String>> cells) {
        if (trials.isEmpty()) {
            return "_" + none + "_";
        }
        List<String> keys = trials.stream()
                .flatMap(t -> t.scenario().keySet().stream())
                .distinct()
                .toList();
        List<String> header =
                new ArrayList<>(keys.stream().map(MarkdownTables::paramHeader).toList());
        header.add("variant");
        header.addAll(columns);
        MarkdownTable table = new MarkdownTable(keys.size() + 1, header.toArray(String[]::new));
        for (Trial t : trials) {
            List<String> row = new ArrayList<>();
            keys.forEach(key -> row.add(paramText(key, t.param(key))));
            row.add(t.variant());
            row.addAll(cells.apply(t));
            table.row(row);
        }
        return table.render();
    }

    private static String metric(Trial trial, Metric label) {
        return Score.text(trial.metric(label));
    }

    private static String scenarioText(Trial trial) {
        return trial.scenario().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
    }

    private static String paramHeader(String key) {
        return key.equals("idle") ? "idle conns" : key;
    }

    private static String paramText(String key, String value) {
        return key.equals("payload") ? Numbers.bytes(value) : Numbers.count(value);
    }

    private static String noSyscalls() {
        return "_No syscall counts in this run: perf could not count here (the harness's `[lab]` line says why)._";
    }

    private static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static String code(String text) {
        return text.isEmpty() ? "(none)" : "`" + text + "`";
    }
}
