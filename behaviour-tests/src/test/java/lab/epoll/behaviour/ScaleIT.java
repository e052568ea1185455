package lab.epoll.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import lab.epoll.catalog.ServerVariant;
import lab.epoll.catalog.ServerVariant.Feature;
import lab.epoll.process.ServerCounters;
import lab.epoll.process.ServerProcess;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scale: {@code lab.scale.connections} (default 10,000) connections open at the same time, each
 * echoes its own message with zero errors, the server holds exactly one fd per connection while they are open,
 * and after they all close its open fd count returns to its baseline. Needs no feature; a variant with
 * {@link Feature#COUNTERS} must also count every connection and byte.
 *
 * <p>Why it matters for epoll: this is what epoll is for, one {@code epoll_wait} watching ten thousand sockets
 * where {@code select} stops at 1024 fds; and an fd that is closed without being removed from the epoll set, or
 * a channel that is never closed after the peer's FIN, shows up here ten thousand times over as fds that do not
 * come back. The client is non-blocking NIO on one selector thread ({@link NioEchoSwarm}), which fits 2 cores.
 */
class ScaleIT {
    static final int CONNECTIONS = Integer.getInteger("lab.scale.connections", 10_000);
    static final int MESSAGE_BYTES = 64;
    /** Connections between "connect started" and "echo checked" at once; below the server's backlog of 4096. */
    static final int MAX_IN_FLIGHT = 1000;

    @RegisterExtension
    final ServerProcesses servers = new ServerProcesses();

    @EveryVariant
    void tenThousandConcurrentConnectionsEchoAndLeaveNoFdBehind(ServerVariant variant) throws IOException {
        long clientLimit = openFileLimitOfThisJvm();
        assertThat(clientLimit)
                .as("this JVM's open-file limit (ulimit -n) must leave room for %d client sockets", CONNECTIONS)
                .isGreaterThan(CONNECTIONS + 500L);
        ServerProcess server = servers.start(variant);

        long started = System.nanoTime();
        try (NioEchoSwarm swarm = NioEchoSwarm.run(
                server.address(), CONNECTIONS, MESSAGE_BYTES, MAX_IN_FLIGHT, ServerProcess.WAIT.multipliedBy(2))) {
            long echoedAfterMs = (System.nanoTime() - started) / 1_000_000;
            assertThat(swarm.failures())
                    .as("%s server: failed connections", variant)
                    .isEmpty();
            assertThat(swarm.echoed())
                    .as("connections whose message came back intact")
                    .isEqualTo(CONNECTIONS);

            // All of them open at once on the server: one fd each, and its own count (if it keeps one) agrees.
            if (variant.has(Feature.COUNTERS)) {
                // bytes-out counts a write when its listener runs, which may come a moment after the client
                // already has the echo (oneshot-netty: worker, then event loop): wait for it, never for less.
                long echoedBytes = (long) CONNECTIONS * MESSAGE_BYTES;
                ServerCounters open = server.awaitStats(
                        "all connections open and " + echoedBytes + " bytes-out",
                        c -> c.active() == CONNECTIONS && c.bytesOut() >= echoedBytes);
                assertThat(open.accepted()).as("accepted").isEqualTo(CONNECTIONS);
                assertThat(open.bytesOut()).as("bytes-out").isEqualTo(echoedBytes);
            }
            int expectedFds = server.baselineFds() + CONNECTIONS;
            server.awaitValue(
                    "one fd per open connection, " + expectedFds + " in all", server::openFds, n -> n == expectedFds);
            System.out.printf("%s scale: %d connections echoed in %d ms%n", variant, CONNECTIONS, echoedAfterMs);
        }
        // The client closed them all; the server must close its side of each and forget it.
        server.awaitFdsAtBaseline();
        if (variant.has(Feature.COUNTERS)) {
            ServerCounters closed =
                    server.awaitStats("all connections closed", c -> c.active() == 0 && c.closed() == CONNECTIONS);
            assertThat(closed.errors()).as("errors").isZero();
        }
    }

    /** The soft "Max open files" limit of this process, from /proc/self/limits. */
    private static long openFileLimitOfThisJvm() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
                String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
            }
        }
        throw new IllegalStateException("no 'Max open files' in /proc/self/limits");
    }
}
