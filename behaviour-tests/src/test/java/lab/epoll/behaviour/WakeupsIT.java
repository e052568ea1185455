package lab.epoll.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import lab.epoll.catalog.ServerVariant;
import lab.epoll.process.EchoClient;
import lab.epoll.process.ProcFs;
import lab.epoll.process.ProcThreads;
import lab.epoll.process.ServerProcess;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Who the kernel wakes for one new connection, from its own count of each thread's sleeps
 * ({@code voluntary_ctxt_switches}): an idle server with N loops gets one connection at a time (one echo, then
 * closed), and after each we count the loop threads that slept again since; every strategy at N = 4, the herd
 * and {@code EPOLLEXCLUSIVE} at 2 and 8 too. A listener registered
 * in every loop's epoll set wakes them all, every time (the thundering herd), though only one can accept it;
 * with {@code EPOLLEXCLUSIVE}, or one listener per loop ({@code SO_REUSEPORT}), one thread wakes; an acceptor
 * thread and the loop it hands to make two; Netty's accepting loop (4.1 and 4.2 alike), and the loop it hands
 * the connection to when that is another one, between one and two.
 *
 * <p>The threads that lose the race mostly never return from {@code epoll_wait}: the kernel finds the listener
 * empty when it collects their events and puts them back to sleep inside the call. So the herd does not show in
 * {@code epoll_wait} or {@code accept4} counts, only in wake-ups, which is what this reads.
 */
class WakeupsIT {
    static final int CONNECTIONS = 20;

    /** No stats timer and no idle sweep: nothing but the connections wakes the loops. */
    @RegisterExtension
    final ServerProcesses servers = ServerProcesses.withoutStatsTimer();

    /**
     * The variant, its loops, the least and most loop threads one connection may wake on average, and the least
     * and most threads woken by any of the connections.
     */
    static Stream<Arguments> strategies() {
        return Stream.of(
                Arguments.of(ServerVariant.RAW_HERD, 2, 2.0, 2.0, 2, 2),
                Arguments.of(ServerVariant.RAW_HERD, 4, 4.0, 4.0, 4, 4),
                Arguments.of(ServerVariant.RAW_HERD, 8, 8.0, 8.0, 8, 8),
                // The first set registered that has a waiter takes it: idle, always the same loop.
                Arguments.of(ServerVariant.RAW_EXCLUSIVE, 2, 1.0, 1.0, 1, 1),
                Arguments.of(ServerVariant.RAW_EXCLUSIVE, 4, 1.0, 1.0, 1, 1),
                Arguments.of(ServerVariant.RAW_EXCLUSIVE, 8, 1.0, 1.0, 1, 1),
                // The hash of each connection's addresses picks the listener, and so the loop.
                Arguments.of(ServerVariant.RAW_REUSEPORT, 4, 1.0, 1.0, 2, 4),
                Arguments.of(ServerVariant.RAW_ACCEPTOR, 4, 2.0, 2.0, 5, 5),
                // Round-robin: the accepting loop keeps one connection in four, hands the others over.
                Arguments.of(ServerVariant.ET, 4, 1.5, 2.0, 4, 4),
                Arguments.of(ServerVariant.EPOLL_4_2, 4, 1.5, 2.0, 4, 4));
    }

    @ParameterizedTest(name = "{0} on {1} loops")
    @MethodSource("strategies")
    void oneNewConnectionWakesTheThreadsTheStrategySays(
            ServerVariant variant, int loopCount, double least, double most, int leastDistinct, int mostDistinct) {
        String option = variant.servingThreadsOption().orElseThrow().longName();
        ServerProcess server = servers.start(variant, option, Integer.toString(loopCount), "--idle-timeout", "0");
        // One echo per loop first: Netty starts a loop's thread with its first connection.
        for (int i = 0; i < loopCount; i++) {
            cycle(server);
        }
        Set<Long> loops = awaitQuiet(server, null, loopCount);
        assertThat(loops).as("threads waiting in epoll_wait").hasSizeGreaterThanOrEqualTo(loopCount);

        int woken = 0;
        Set<Long> everWoken = new java.util.HashSet<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            Map<Long, Long> before = switches(server, loops);
            cycle(server);
            awaitQuiet(server, loops, loopCount);
            Map<Long, Long> after = switches(server, loops);
            List<Long> now = loops.stream()
                    .filter(t -> !after.get(t).equals(before.get(t)))
                    .toList();
            woken += now.size();
            everWoken.addAll(now);
        }
        double perConnection = woken / (double) CONNECTIONS;
        System.out.printf(
                "%s on %d loops: %.2f of %d threads in epoll_wait woken per new connection, %d woken by any%n",
                variant, loopCount, perConnection, loops.size(), everWoken.size());
        assertThat(perConnection).as("threads woken per new connection").isBetween(least, most);
        assertThat(everWoken)
                .as("threads any of %d connections woke", CONNECTIONS)
                .hasSizeBetween(leastDistinct, mostDistinct);
    }

    /** Connects, echoes once, closes, and waits until the server has closed its side too. */
    private static void cycle(ServerProcess server) {
        byte[] hello = "wake".getBytes(StandardCharsets.US_ASCII);
        try (EchoClient client = server.connect()) {
            assertThat(client.roundTrip(hello)).isEqualTo(hello);
        }
        server.awaitFdsAtBaseline();
    }

    /**
     * Waits until every thread of {@code loops} (or, with null, of whatever waits in epoll) is back in
     * {@code epoll_wait}: then every wake-up this connection caused has been counted. Returns those threads.
     */
    private static Set<Long> awaitQuiet(ServerProcess server, Set<Long> loops, int loopCount) {
        return server.awaitValue(
                "the loop threads back in epoll_wait",
                () -> ProcFs.epollWaiters(server.pid()).values().stream()
                        .flatMap(List::stream)
                        .map(ProcFs.BlockedThread::tid)
                        .collect(Collectors.toSet()),
                waiting -> loops == null ? waiting.size() >= loopCount : waiting.containsAll(loops));
    }

    private static Map<Long, Long> switches(ServerProcess server, Set<Long> loops) {
        Map<Long, Long> counts = new HashMap<>();
        loops.forEach(t -> counts.put(t, ProcThreads.voluntarySwitches(server.pid(), t)));
        return counts;
    }
}
