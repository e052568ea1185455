package lab.epoll.behaviour;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.URI;
import java.util.Map;
import lab.epoll.catalog.ServerVariant;
import lab.epoll.catalog.ServerVariant.Feature;
import lab.epoll.process.EchoClient;
import lab.epoll.process.MetricsScrape;
import lab.epoll.process.ProcFs;
import lab.epoll.process.ServerProcess;
import lab.epoll.testkit.Payload;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * {@code --metrics-port}: the server's own figures in the Prometheus text format agree with the kernel's and with
 * what the client did. After 20 echoes of 100 bytes on one connection, the endpoint counts one connection
 * accepted and open and 2,000 bytes each way; its process CPU seconds lie between the kernel's counts
 * ({@code /proc/PID/stat}) just before and just after the scrape, to a clock tick, and its resident memory (now and peak) is
 * {@code /proc}'s to within 10%; no echo is held unsent, against the default budget.
 */
class MetricsEndpointIT {
    private static final int ECHOES = 20;
    private static final int SIZE = 100;
    /** /proc's CPU times are in ticks of 10 ms. */
    private static final double TICK = 0.01;

    @RegisterExtension
    final ServerProcesses servers = new ServerProcesses();

    @Execution(ExecutionMode.CONCURRENT)
    @EveryVariant
    void theEndpointCountsWhatHappenedAndAgreesWithTheKernel(ServerVariant variant) throws Exception {
        Assumptions.assumeTrue(variant.has(Feature.COUNTERS), () -> variant + " keeps no counters to serve");
        ServerProcess server = servers.start(variant, "--metrics-port", "0");
        URI endpoint = server.metricsEndpoint();
        try (EchoClient client = server.connect()) {
            for (int i = 0; i < ECHOES; i++) {
                byte[] message = new Payload(i).bytes(0, SIZE);
                assertThat(client.roundTrip(message)).isEqualTo(message);
            }
            server.awaitValue(
                    "the endpoint counting every byte echoed",
                    () -> scrape(endpoint),
                    m -> m.getOrDefault("echo_sent_bytes_total", 0.0) >= ECHOES * SIZE);
            // The endpoint reads the CPU time when the scrape begins, and serving it costs CPU too (the first
            // scrape loads its classes): the kernel's count before and after the scrape brackets the value.
            double cpuBefore = ProcFs.cpuTicks(server.pid()) / 100.0;
            Map<String, Double> metrics = scrape(endpoint);
            double cpuAfter = ProcFs.cpuTicks(server.pid()) / 100.0;
            long procRss = ProcFs.statusBytes(server.pid(), "VmRSS");
            long procPeakRss = ProcFs.statusBytes(server.pid(), "VmHWM");
            assertThat(metrics.get("echo_received_bytes_total")).isEqualTo(ECHOES * SIZE);
            assertThat(metrics.get("echo_sent_bytes_total")).isEqualTo(ECHOES * SIZE);
            assertThat(metrics.get("echo_connections_accepted_total")).isEqualTo(1.0);
            assertThat(metrics.get("echo_connections_open")).isEqualTo(1.0);
            assertThat(metrics.get("process_cpu_seconds_total"))
                    .as("process CPU s, /proc says %.2f before the scrape and %.2f after", cpuBefore, cpuAfter)
                    .isBetween(cpuBefore - TICK, cpuAfter + TICK);
            assertThat(metrics.get("process_resident_memory_bytes"))
                    .as("RSS, /proc says %d", procRss)
                    .isCloseTo((double) procRss, within(0.1 * procRss));
            assertThat(metrics.get("echo_process_resident_memory_peak_bytes"))
                    .as("peak RSS, /proc says %d", procPeakRss)
                    .isCloseTo((double) procPeakRss, within(0.1 * procPeakRss));
            assertThat(metrics.get("echo_pending_bytes"))
                    .as("echo held unsent once every echo was read")
                    .isZero();
            assertThat(metrics.get("echo_pending_budget_bytes"))
                    .as("the default budget, 64m")
                    .isEqualTo(64.0 * 1024 * 1024);
            assertThat(metrics)
                    .containsKeys("process_open_fds", "jvm_threads_current", "echo_pending_budget_exhausted_total");
        }
    }

    private static Map<String, Double> scrape(URI endpoint) {
        return MetricsScrape.of(endpoint).samples();
    }
}
