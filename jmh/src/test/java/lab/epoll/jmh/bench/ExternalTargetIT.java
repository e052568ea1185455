package lab.epoll.jmh.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import lab.epoll.catalog.CpuSet;
import lab.epoll.catalog.Metric;
import lab.epoll.catalog.ServerVariant;
import lab.epoll.catalog.TrialParam;
import lab.epoll.jmh.metrics.ServerMetricsProfiler;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * {@code -p target=HOST:PORT}: the harness measures a server it did not start, from the client side only; with
 * {@code -p targetMetrics=HOST:PORT}, from the server's metrics endpoint too.
 */
class ExternalTargetIT {
    @Test
    void measuresAServerItDidNotStartWithClientSideMetricsOnly() throws Exception {
        try (BenchmarkServer server = BenchmarkServer.start(ServerVariant.ET, BenchmarkServer.DEFAULT_JVM_FLAGS, "")) {
            RunResult run = measure(server, null);
            assertThat(run.getSecondaryResults().get(Metric.ECHOES.label()).getScore())
                    .isPositive();
            assertThat(run.getSecondaryResults())
                    .containsKeys(Metric.P50.label(), Metric.CLIENT_CPU_PER_OP.label())
                    .doesNotContainKeys(Metric.SERVER_CPU_PER_OP.label(), Metric.RSS_PEAK.label());
            server.stop(); // the server served the whole trial and still stops cleanly
        }
    }

    @Test
    void readsTheServersCpuRssAndThreadsFromItsMetricsEndpoint() throws Exception {
        try (BenchmarkServer server =
                BenchmarkServer.start(ServerVariant.ET, BenchmarkServer.DEFAULT_JVM_FLAGS, "--metrics-port 0")) {
            RunResult run = measure(
                    server,
                    server.metricsEndpoint().getHost() + ":"
                            + server.metricsEndpoint().getPort());
            assertThat(run.getSecondaryResults())
                    .containsKeys(
                            Metric.SERVER_CPU_PER_OP.label(),
                            Metric.SERVER_CORES.label(),
                            Metric.RSS_PEAK.label(),
                            Metric.THREADS.label())
                    .doesNotContainKeys(Metric.EPOLL_WAIT.label(), Metric.SYSCALLS_TOTAL.label());
            assertThat(run.getSecondaryResults()
                            .get(Metric.SERVER_CPU_PER_OP.label())
                            .getScore())
                    .isPositive();
            assertThat(run.getSecondaryResults().get(Metric.RSS_PEAK.label()).getScore())
                    .isGreaterThan(10);
            server.stop();
        }
    }

    /** One short trial of the echo benchmark against {@code server} as an external target, with its endpoint or not. */
    private static RunResult measure(BenchmarkServer server, String metrics) throws Exception {
        OptionsBuilder options = new OptionsBuilder();
        options.include(EchoBenchmark.class.getName() + "\\.")
                .param(
                        TrialParam.TARGET.field(),
                        server.address().getHostString() + ":"
                                + server.address().getPort())
                .param(TrialParam.VARIANT.field(), "external")
                .param("clients", "2")
                .param("payload", "64")
                .param(TrialParam.SERVER_CPUS.field(), CpuSet.ALL)
                .param(TrialParam.CLIENT_CPUS.field(), CpuSet.ALL)
                // In the test's JVM (no fork), without JMH's console: its banner warns against exactly that.
                .forks(0)
                .threads(1)
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.seconds(1))
                .addProfiler(ServerMetricsProfiler.class);
        if (metrics != null) {
            options.param(TrialParam.TARGET_METRICS.field(), metrics);
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        return results.iterator().next();
    }
}
