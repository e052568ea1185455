package lab.epoll.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import lab.epoll.catalog.Metric;
import lab.epoll.catalog.ServerVariant;

/**
 * A full harness run made up in code: every variant over the whole echo matrix, the idle and bulk benchmarks
 * and two tuning runs, with plausible numbers (poll's cost grows with idle connections). The sample file has
 * only two trials; this is what the tables and charts must also cope with.
 */
final class SyntheticResults {
    static final List<String> VARIANTS = ServerVariant.names();
    static final RunSetup SETUP =
            new RunSetup("1.37", "OpenJDK 64-Bit Server VM", "17.0.15", "17.0.15+6", 2, 1, 2, "3 s", 5, "4 s");
    private static final String JVM = "-Xms512m -Xmx512m -XX:+UseG1GC";

    private SyntheticResults() {}

    /** The full matrix; with {@code perf} false the syscall metrics are absent, as when perf cannot count. */
    static Results fullRun(boolean perf) {
        List<Trial> trials = new ArrayList<>();
        for (int v = 0; v < VARIANTS.size(); v++) {
            String variant = VARIANTS.get(v);
            for (int clients : new int[] {1, 50, 1000}) {
                for (int payload : new int[] {64, 512, 16384}) {
                    double ops = (clients == 1 ? 12_000 : clients == 50 ? 48_000 : 61_000)
                            * (1 - v * 0.05)
                            / (payload == 16384 ? 3 : 1);
                    trials.add(echo(variant, clients, payload, "", ops, perf, v));
                }
            }
            for (int idle : new int[] {0, 1000, 10_000}) {
                double cpu = 14 + v + (variant.equals("nio-poll") ? idle / 250.0 : idle / 5000.0);
                Map<String, Score> secondary = common(cpu, 900 + v * 50, 110 + idle / 100.0 + v);
                if (perf) {
                    secondary.put(Metric.EPOLL_WAIT.label(), m(variant.equals("nio-poll") ? 0 : 0.4, "calls/op"));
                    secondary.put(Metric.POLL.label(), m(variant.equals("nio-poll") ? 0.4 : 0, "calls/op"));
                    secondary.put(Metric.SYSCALLS_TOTAL.label(), m(2.6, "calls/op"));
                }
                trials.add(trial(
                        "IdleConnectionsBenchmark.echoAmongIdleConnections",
                        variant,
                        Map.of("idle", String.valueOf(idle)),
                        "",
                        new Score(40_000 - cpu * 100, 1500, "ops/s"),
                        secondary));
            }
            Map<String, Score> bulk = common(900 + v * 20, 0, 140 + v);
            if (perf) {
                bulk.put(Metric.READ.label(), m(16 + v, "calls/op"));
                bulk.put(Metric.WRITE.label(), m(9 + v, "calls/op"));
                bulk.put(Metric.SYSCALLS_TOTAL.label(), m(40, "calls/op"));
            }
            trials.add(trial(
                    "BulkStreamBenchmark.streamMebibyte",
                    variant,
                    Map.of("connections", "4"),
                    "",
                    new Score(1100 - v * 40, 35, "ops/s"),
                    bulk));
        }
        trials.add(echo("lt", 50, 512, "--busy-poll 50us", 52_000, perf, 0));
        trials.add(echo("et", 50, 512, "--max-messages-per-read 1", 44_000, perf, 1));
        return new Results(trials);
    }

    /** The exercise's burst ({@code --exercise}) for raw-lt and raw-et, as exercise.json would hold it. */
    static Results exerciseRun() {
        List<Trial> trials = new ArrayList<>();
        for (String variant : List.of(ServerVariant.RAW_LT.name(), ServerVariant.RAW_ET.name())) {
            boolean et = variant.equals(ServerVariant.RAW_ET.name());
            Map<String, Score> secondary = common(et ? 11 : 12, et ? 44_000 : 47_000, 104);
            secondary.put(Metric.ECHOES.label(), new Score(et ? 65_000 : 60_000, 2_000, "ops/s"));
            secondary.put(Metric.EPOLL_WAIT.label(), m(et ? 0.097 : 0.16, "calls/op"));
            secondary.put(Metric.READ.label(), m(et ? 2.1 : 1.1, "calls/op"));
            secondary.put(Metric.EPOLL_CTL.label(), m(0.1, "calls/op"));
            trials.add(trial(
                    "ExerciseBenchmark.tenRequestsPerConnection",
                    variant,
                    Map.of("connections", "10000", "requests", "10", "payload", "64"),
                    "",
                    new Score(1600, 50, "ms/op"),
                    secondary));
        }
        return new Results(trials);
    }

    /**
     * A latency-vs-load sweep ({@code --curve}): et keeps up everywhere with p90 from 30 to 75 µs; nio-poll's
     * p90 jumps 50-fold and it falls behind at 90,000/s.
     */
    static Results curveRun() {
        return curveRun(2);
    }

    /** As {@link #curveRun()}, with the client's pacing p99 at the last rate set to {@code lastPacingMicros}. */
    static Results curveRun(double lastPacingMicros) {
        List<Trial> trials = new ArrayList<>();
        int[] rates = {10_000, 30_000, 60_000, 90_000};
        double[] etP99 = {60, 70, 100, 150};
        double[] pollP99 = {80, 90, 150, 4_000};
        for (int i = 0; i < rates.length; i++) {
            for (String variant : List.of(ServerVariant.ET.name(), ServerVariant.NIO_POLL.name())) {
                boolean poll = variant.equals(ServerVariant.NIO_POLL.name());
                double p99 = poll ? pollP99[i] : etP99[i];
                double achieved = poll && rates[i] == 90_000 ? 70_000 : rates[i];
                Map<String, Score> secondary = new HashMap<>();
                secondary.put(Metric.ECHOES.label(), new Score(achieved, 20, "ops/s"));
                secondary.put(Metric.P50.label(), m(p99 / 3, "us"));
                secondary.put(Metric.P90.label(), m(p99 / 2, "us"));
                secondary.put(Metric.P99.label(), m(p99, "us"));
                secondary.put(Metric.P999.label(), m(p99 * 2, "us"));
                secondary.put(Metric.MAX.label(), m(p99 * 5, "us"));
                secondary.put(Metric.PACING_P99.label(), m(i == rates.length - 1 ? lastPacingMicros : 2, "us"));
                trials.add(trial(
                        "OpenLoopBenchmark.respond",
                        variant,
                        Map.of("rate", String.valueOf(rates[i]), "clients", "50", "payload", "64"),
                        "",
                        new Score(achieved, 20, "ops/s"),
                        secondary));
            }
        }
        return new Results(trials);
    }

    private static Trial echo(
            String variant, int clients, int payload, String serverArgs, double ops, boolean perf, int v) {
        Map<String, Score> secondary = common(12 + v * 1.5 + payload / 4096.0, 20 + clients * 18.0, 100 + v * 3);
        secondary.put(Metric.MIB_PER_S.label(), m(ops * payload / (1 << 20), "MiB/s"));
        if (perf) {
            boolean poll = variant.equals("nio-poll");
            secondary.put(Metric.EPOLL_WAIT.label(), m(poll ? 0 : 1.0 / Math.max(1, clients / 10.0), "calls/op"));
            secondary.put(Metric.POLL.label(), m(poll ? 1.0 / Math.max(1, clients / 10.0) : 0, "calls/op"));
            secondary.put(Metric.READ.label(), m(variant.equals("et") ? 2.0 : 1.1, "calls/op"));
            secondary.put(Metric.WRITE.label(), m(1.0, "calls/op"));
            secondary.put(Metric.EPOLL_CTL.label(), m(variant.startsWith("oneshot") ? 1.0 : 0, "calls/op"));
            secondary.put(Metric.SYSCALLS_TOTAL.label(), m(3.5, "calls/op"));
            secondary.put(Metric.EVENTS_PER_WAIT.label(), m(Math.min(clients, 40) * 0.9, "events"));
        }
        Map<String, String> scenario = Map.of("clients", String.valueOf(clients), "payload", String.valueOf(payload));
        return trial(
                "EchoBenchmark.echo",
                variant,
                scenario,
                serverArgs,
                new Score(ops, clients == 1 ? Double.NaN : ops * 0.03, "ops/s"),
                secondary);
    }

    /**
     * A newcomer sweep: lt with Netty's stock accept, its newcomers unanswered, and lt and et with the lab's
     * batch, at 2,000 busy connections.
     */
    static List<Trial> newcomerRun() {
        List<Trial> trials = new ArrayList<>();
        trials.add(newcomer("lt", "--accept-batch 1", 5008, 950, 1500));
        trials.add(newcomer("lt", "", 260, 0, 0));
        trials.add(newcomer("et", "", 112, 0, 0));
        return trials;
    }

    private static Trial newcomer(String variant, String serverArgs, double p99, double unanswered, double queue) {
        Map<String, Score> secondary = common(13, 0, 120);
        secondary.put(Metric.NEWCOMERS.label(), m(1000, "connections"));
        secondary.put(Metric.NEWCOMERS_UNANSWERED.label(), m(unanswered, "connections"));
        secondary.put(Metric.NEWCOMER_P50.label(), m(p99 / 2, "ms"));
        secondary.put(Metric.NEWCOMER_P99.label(), m(p99, "ms"));
        secondary.put(Metric.NEWCOMER_MAX.label(), m(p99 + 10, "ms"));
        secondary.put(Metric.BUSY_JAIN.label(), m(1, "index"));
        secondary.put(Metric.LISTEN_BACKLOG.label(), m(queue, "connections"));
        return trial(
                "NewcomerBenchmark.serve",
                variant,
                Map.of("busy", "2000", "rate", "200", "depth", "1", "patience", "5", "payload", "64", "hog", "server"),
                serverArgs,
                new Score(40_000, 900, "ops/s"),
                secondary);
    }

    private static Map<String, Score> common(double cpuPerOp, double p50, double rss) {
        Map<String, Score> secondary = new HashMap<>();
        secondary.put(Metric.SERVER_CPU_PER_OP.label(), new Score(cpuPerOp, cpuPerOp * 0.05, "us/op"));
        secondary.put(Metric.SERVER_CORES.label(), m(0.7, "cores"));
        secondary.put(Metric.CLIENT_CORES.label(), m(0.9, "cores"));
        secondary.put(Metric.RSS_PEAK.label(), m(rss, "MiB"));
        if (p50 > 0) {
            secondary.put(Metric.P50.label(), new Score(p50, p50 * 0.1, "us"));
            secondary.put(Metric.P99.label(), m(p50 * 4, "us"));
            secondary.put(Metric.P999.label(), m(p50 * 9, "us"));
            secondary.put(Metric.MEAN.label(), m(p50 * 1.1, "us"));
        }
        return secondary;
    }

    private static Trial trial(
            String benchmark,
            String variant,
            Map<String, String> scenario,
            String serverArgs,
            Score primary,
            Map<String, Score> secondary) {
        Map<String, String> params = new HashMap<>(scenario);
        params.put("variant", variant);
        params.put("serverJvm", JVM);
        params.put("serverArgs", serverArgs);
        return new Trial("lab.epoll.jmh.bench." + benchmark, params, primary, secondary, SETUP);
    }

    private static Score m(double score, String unit) {
        return new Score(score, Double.NaN, unit);
    }
}
