package lab.epoll.jmh.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import lab.epoll.catalog.ServerVariant;
import lab.epoll.jmh.bench.BenchmarkServer;
import lab.epoll.jmh.load.EchoLoad;
import org.junit.jupiter.api.Test;

/**
 * The two places the harness reads a server's figures from agree: over the same windows of load, the metrics
 * endpoint's CPU seconds (the JVM's process CPU time) and the kernel's ({@code /proc/PID/stat}) give the same CPU
 * per echo within {@link #CPU_TOLERANCE}, and the same peak RSS (within {@link #RSS_TOLERANCE}) and thread count. The endpoint is read inside the
 * kernel's window (kernel, endpoint ... endpoint, kernel), so the kernel's count also holds the part of the last
 * scrape after its CPU value was taken; with the load paused around the readings, as the harness pauses it
 * between iterations, that is all that differs.
 */
class ServerReadingsIT {
    /** The harness's promise for a remote run: CPU per echo from the endpoint within 5% of /proc's. */
    private static final double CPU_TOLERANCE = 0.05;
    /** Peak RSS, endpoint against /proc (see the assertion for why not exact). */
    private static final double RSS_TOLERANCE = 0.05;

    private static final int WINDOWS = 5;
    private static final long WINDOW_MS = 2_000;

    @Test
    void theEndpointAndProcGiveTheSameCpuPerEchoRssAndThreads() throws Exception {
        try (BenchmarkServer server =
                        BenchmarkServer.start(ServerVariant.ET, BenchmarkServer.DEFAULT_JVM_FLAGS, "--metrics-port 0");
                EchoLoad load = new EchoLoad(512)) {
            ServerReadings proc = ServerReadings.proc(server.pid());
            ServerReadings endpoint = ServerReadings.endpoint(server.metricsEndpoint());
            load.connectActive(server.address(), 4);
            endpoint.warmUp(); // as the harness does before a remote trial's first iteration
            for (int window = 1; window <= WINDOWS; window++) {
                // As the harness does at each iteration boundary: the load is paused while the figures are read.
                ServerReadings.Reading procStart = proc.read();
                ServerReadings.Reading endpointStart = endpoint.read();
                long echoesStart = load.completed();
                load.resume();
                load.sleepAndCount(WINDOW_MS);
                load.pause();
                long echoes = load.completed() - echoesStart;
                ServerReadings.Reading endpointEnd = endpoint.read();
                ServerReadings.Reading procEnd = proc.read();
                double procCpuPerEcho = (procEnd.cpuSeconds() - procStart.cpuSeconds()) / echoes;
                double endpointCpuPerEcho = (endpointEnd.cpuSeconds() - endpointStart.cpuSeconds()) / echoes;
                System.out.printf(
                        "window %d: %d echoes, server CPU per echo %.3f us from /proc, %.3f us from the "
                                + "endpoint (ratio %.4f); peak RSS %d / %d MiB; threads %d / %d%n",
                        window,
                        echoes,
                        procCpuPerEcho * 1e6,
                        endpointCpuPerEcho * 1e6,
                        endpointCpuPerEcho / procCpuPerEcho,
                        procEnd.peakRssBytes() >> 20,
                        endpointEnd.peakRssBytes() >> 20,
                        procEnd.threads(),
                        endpointEnd.threads());
                assertThat(echoes).as("echoes in window %d", window).isPositive();
                assertThat(endpointCpuPerEcho / procCpuPerEcho)
                        .as("CPU per echo, endpoint / /proc, window %d", window)
                        .isCloseTo(1.0, within(CPU_TOLERANCE));
                // Not to the byte: the kernel's VmHWM is the larger of a high-water mark it updates lazily and the
                // current RSS, whose per-thread counters it syncs in batches, so it moves even between two reads.
                assertThat((double) endpointEnd.peakRssBytes())
                        .as("peak RSS, endpoint against /proc")
                        .isCloseTo(procEnd.peakRssBytes(), within(RSS_TOLERANCE * procEnd.peakRssBytes()));
                assertThat(endpointEnd.threads())
                        .as("threads, endpoint against /proc")
                        .isCloseTo(procEnd.threads(), within(2L));
            }
            load.close();
            server.stop();
        }
    }
}
