package lab.epoll.jmh.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.stream.Stream;
import lab.epoll.catalog.ServerVariant;
import lab.epoll.jmh.bench.BenchmarkServer;
import lab.epoll.jmh.load.EchoLoad;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The raw servers do what their recipes say, counted by the kernel at one client with 128-byte echoes (each
 * request arrives whole and fits one read):
 * <ul>
 *   <li>raw-lt reads once per wake-up, so its reads are its echoes and it spends no read on {@code EAGAIN};</li>
 *   <li>raw-et reads until {@code EAGAIN}, so each wake-up ends in exactly one read that finds nothing: its reads
 *       are its echoes plus its {@code epoll_wait} calls. (Not simply two reads per echo: on loopback the next
 *       request sometimes arrives before the draining read, which then returns data instead of {@code EAGAIN}
 *       and saves a wake-up.)</li>
 * </ul>
 * Each variant's figure is the other's failure, so the check can tell the recipes apart. Neither server calls
 * {@code epoll_ctl} once a connection is registered: its echo always fits, so {@code EPOLLOUT} is never armed.
 */
class RecipeSyscallsTest {
    private static final int ECHOES = 3000;

    static Stream<Arguments> recipes() {
        return Stream.of(Arguments.of(ServerVariant.RAW_LT, 0.0), Arguments.of(ServerVariant.RAW_ET, 1.0));
    }

    @ParameterizedTest(name = "{0}: {1} EAGAIN reads per wake-up")
    @MethodSource("recipes")
    void eachWakeUpEndsTheWayTheRecipeSays(ServerVariant variant, double eagainReadsPerWakeUp) throws Exception {
        String noPerf = PerfStat.availability();
        Assumptions.assumeTrue(noPerf == null, () -> "perf cannot count syscalls here: " + noPerf);
        try (BenchmarkServer server = BenchmarkServer.start(variant, BenchmarkServer.DEFAULT_JVM_FLAGS, "");
             EchoLoad load = new EchoLoad(128)) {
            load.connectActive(server.address(), 1);
            SyscallCounts counts;
            long echoes;
            try (PerfStat perf = PerfStat.attach(server.pid())) {
                perf.start();
                long before = load.completed();
                load.resume();
                await().atMost(Duration.ofSeconds(60)).until(() -> load.completed() - before >= ECHOES);
                load.pause();
                counts = perf.stop();
                // The one echo in flight when counting stopped may or may not have been counted: 1 in 3000.
                echoes = load.completed() - before;
            }
            long waits = counts.epollWaits();
            assertThat((double) (counts.reads() - echoes) / waits)
                    .as("%d reads, %d echoes, %d epoll_waits", counts.reads(), echoes, waits)
                    .isCloseTo(eagainReadsPerWakeUp, within(0.05));
            assertThat((double) counts.writes() / echoes).as("write calls per echo").isCloseTo(1.0, within(0.01));
            assertThat(counts.epollCtls()).as("epoll_ctl calls over %d echoes", echoes).isZero();
            server.stop();
        }
    }
}
