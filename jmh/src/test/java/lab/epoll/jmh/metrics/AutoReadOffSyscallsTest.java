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
 * Where edge-triggered mode could have differed under Netty: with {@code AUTO_READ} off a level-triggered socket
 * must lose {@code EPOLLIN} between reads (or epoll would report it forever), while an edge-triggered one need
 * not (netty/netty#9348 proposed exactly that saving). Netty 4.1.137 toggles it in both modes, so
 * {@code oneshot-netty} (AUTO_READ off, {@code read()} to re-arm) pays two {@code epoll_ctl} per echo either way;
 * {@code et} with AUTO_READ on is the control that pays none.
 */
class AutoReadOffSyscallsTest {
    private static final int ECHOES = 2000;

    static Stream<Arguments> modes() {
        return Stream.of(Arguments.of(ServerVariant.ONESHOT_NETTY, "--epoll-mode EDGE_TRIGGERED", 2.0),
                Arguments.of(ServerVariant.ONESHOT_NETTY, "--epoll-mode LEVEL_TRIGGERED", 2.0),
                Arguments.of(ServerVariant.ET, "", 0.0));
    }

    @ParameterizedTest(name = "{0} {1}: {2} epoll_ctl per echo")
    @MethodSource("modes")
    void epollCtlPerEcho(ServerVariant variant, String serverArgs, double expected) throws Exception {
        String noPerf = PerfStat.availability();
        Assumptions.assumeTrue(noPerf == null, () -> "perf cannot count syscalls here: " + noPerf);
        try (BenchmarkServer server = BenchmarkServer.start(variant, BenchmarkServer.DEFAULT_JVM_FLAGS, serverArgs);
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
                echoes = load.completed() - before;
            }
            assertThat((double) counts.epollCtls() / echoes)
                    .as("%d epoll_ctl over %d echoes", counts.epollCtls(), echoes).isCloseTo(expected, within(0.02));
            server.stop();
        }
    }
}
