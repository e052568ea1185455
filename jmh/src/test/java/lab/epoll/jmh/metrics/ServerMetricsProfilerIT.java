package lab.epoll.jmh.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;
import lab.epoll.catalog.Metric;
import lab.epoll.catalog.ServerVariant;
import lab.epoll.jmh.bench.BenchmarkServer;
import lab.epoll.jmh.load.EchoLoad;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.IterationResultMetaData;
import org.openjdk.jmh.results.Result;

/**
 * The profiler against a real server and a real load, the way a JMH iteration drives it: start the meter, run
 * some echoes, end the iteration, turn the measurement into results.
 */
class ServerMetricsProfilerIT {
    private static final int ECHOES = 2000;

    @AfterEach
    void restorePerf() {
        System.clearProperty("lab.perf");
    }

    private Map<String, Double> measureOneIteration(ServerVariant variant) throws Exception {
        return measureOneIteration(variant, true);
    }

    private Map<String, Double> measureOneIteration(ServerVariant variant, boolean measured) throws Exception {
        try (BenchmarkServer server = BenchmarkServer.start(variant, BenchmarkServer.DEFAULT_JVM_FLAGS, "");
                EchoLoad load = new EchoLoad(512)) {
            load.connectActive(server.address(), 4);
            Map<String, Double> m = measureOneIteration(server.pid(), load, measured);
            load.close();
            server.stop();
            return m;
        }
    }

    private static Map<String, Double> measureOneIteration(long serverPid, EchoLoad load, boolean measured)
            throws Exception {
        MeasuredTrial.begin(serverPid, load);
        ServerMetricsProfiler profiler = new ServerMetricsProfiler();
        profiler.beforeIteration(null, null);
        MeasuredTrial.startIteration(measured); // what the benchmark's iteration setup does
        load.resume();
        while (load.completed() < ECHOES) {
            load.sleepAndCount(1);
        }
        load.pause();
        MeasuredTrial.endIteration();
        // JMH's own operation count is the benchmark's ticks, not echoes: the profiler must not use it.
        Collection<? extends Result> results =
                profiler.afterIteration(null, null, new IterationResult(null, null, new IterationResultMetaData(1, 1)));
        MeasuredTrial.end();
        return results.stream().collect(Collectors.toMap(Result::getLabel, Result::getScore));
    }

    @Test
    void perEchoFiguresDivideByTheEchoesTheClientCompleted() throws Exception {
        System.setProperty("lab.perf", "false");
        Map<String, Double> m = measureOneIteration(ServerVariant.ET);
        // 2,000+ echoes of 512 B take well under a millisecond of server CPU each; divided by JMH's 1 op it would
        // be the whole iteration's CPU.
        assertThat(m.get(Metric.SERVER_CPU_PER_OP.label())).isBetween(0.1, 1000.0);
        assertThat(m.get(Metric.CLIENT_CPU_PER_OP.label())).isBetween(0.1, 1000.0);
    }

    @Test
    void anExternalTargetGetsClientSideMetricsOnly() throws Exception {
        System.setProperty("lab.perf", "false");
        try (BenchmarkServer server = BenchmarkServer.start(ServerVariant.ET, BenchmarkServer.DEFAULT_JVM_FLAGS, "");
                EchoLoad load = new EchoLoad(512)) {
            load.connectActive(server.address(), 4);
            Map<String, Double> m = measureOneIteration(MeasuredTrial.NO_SERVER, load, true);
            assertThat(m)
                    .containsKeys(Metric.P50.label(), Metric.CLIENT_CPU_PER_OP.label(), Metric.MIB_PER_S.label())
                    .doesNotContainKeys(
                            Metric.SERVER_CPU_PER_OP.label(), Metric.SERVER_CORES.label(), Metric.RSS_PEAK.label());
            load.close();
            server.stop();
        }
    }

    @Test
    void countsTheServersSyscallsPerEchoWithPerf() throws Exception {
        assumeThat(PerfStat.availability()).as("perf usable here").isNull();
        Map<String, Double> m = measureOneIteration(ServerVariant.LT);
        // Every echo needs at least one read and one write on the server; epoll_ctl is not needed at all.
        assertThat(m.get("sys.read/op")).isGreaterThanOrEqualTo(1.0);
        assertThat(m.get("sys.write/op")).isGreaterThanOrEqualTo(0.9);
        assertThat(m.get("sys.epoll_wait/op")).isPositive();
        assertThat(m.get("sys.poll/op")).isZero();
        assertThat(m.get("events/wait")).isPositive();
        assertThat(m)
                .containsKeys(
                        "latency.p50.us",
                        "latency.p99.us",
                        "latency.p999.us",
                        "server.cpu.us/op",
                        "client.cpu.cores",
                        "server.rss.peak.MiB",
                        "MiB/s");
        assertThat(m.get("latency.p99.us")).isGreaterThanOrEqualTo(m.get("latency.p50.us"));
        assertThat(m.get("server.rss.peak.MiB")).isGreaterThan(10);
    }

    @Test
    void aWarmupIterationCountsNoSyscallsAndMeasuresTheRest() throws Exception {
        assumeThat(PerfStat.availability()).as("perf usable here").isNull();
        Map<String, Double> m = measureOneIteration(ServerVariant.LT, false);
        assertThat(m.keySet()).noneMatch(label -> label.startsWith("sys.")).doesNotContain("events/wait");
        assertThat(m).containsKeys("latency.p50.us", "server.cpu.us/op", "client.cpu.cores");
    }

    @Test
    void thePollBaselineWaitsInPollNotEpoll() throws Exception {
        assumeThat(PerfStat.availability()).as("perf usable here").isNull();
        Map<String, Double> m = measureOneIteration(ServerVariant.NIO_POLL);
        assertThat(m.get("sys.poll/op")).isPositive();
        assertThat(m.get("sys.epoll_wait/op")).isZero();
    }

    @Test
    void withoutPerfReportsNoSyscallMetricsButEverythingElse() throws Exception {
        System.setProperty("lab.perf", "false");
        Map<String, Double> m = measureOneIteration(ServerVariant.ET);
        assertThat(m.keySet()).noneMatch(label -> label.startsWith("sys.")).doesNotContain("events/wait");
        assertThat(m).containsKeys("latency.p50.us", "server.cpu.us/op", "client.cpu.cores", "server.rss.peak.MiB");
        assertThat(m.get("MiB/s")).isPositive();
    }
}
