package lab.epoll.oneshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import lab.epoll.catalog.EpollFlags;
import lab.epoll.catalog.ServerVariant;
import lab.epoll.oneshot.OneshotCommand.Engine;
import lab.epoll.process.EchoClient;
import lab.epoll.process.ProcFs;
import lab.epoll.process.ProcFs.EpollRegistration;
import lab.epoll.process.ServerCounters;
import lab.epoll.process.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The runnable jar, as a user runs it ({@code java -jar oneshot-server/target/oneshot-server.jar}): its startup
 * line, echo, SIGTERM, exit codes, and what {@code /proc} says about its epoll registrations and threads. A
 * server that runs until SIGTERM ends through {@link ServerProcess#stopChecked()}: leak probe, exit 0, no leak
 * report, the summary.
 */
class OneshotServerIT {
    static Stream<Arguments> engines() {
        return Stream.of(
                Arguments.of(ServerVariant.ONESHOT_NETTY, Engine.netty),
                Arguments.of(ServerVariant.ONESHOT_KERNEL, Engine.kernel));
    }

    @ParameterizedTest(name = "{1} engine")
    @MethodSource("engines")
    void servesUntilSigtermThenExitsZeroWithTheSummary(ServerVariant variant, Engine engine) {
        try (ServerProcess server = ServerProcess.start(variant, "--workers", "2")) {
            assertThat(server.stdout().get(0))
                    .matches("listening on 127\\.0\\.0\\.1:\\d+ \\(engine=" + engine
                            + ", workers=2, .*idle-timeout=60s, max-connections=\\d+, max-pending-bytes=64m, pid="
                            + server.pid() + "\\)");
            byte[] hi = "hi\n".getBytes(StandardCharsets.US_ASCII);
            try (EchoClient client = server.connect()) {
                assertThat(client.roundTrip(hi)).isEqualTo(hi);
            }
            server.stopChecked();
            ServerCounters summary = server.summary();
            long connections = 1 + ServerProcess.LEAK_PROBE_CONNECTIONS;
            long bytes = hi.length + ServerProcess.LEAK_PROBE_BYTES;
            assertThat(summary)
                    .as(server.output())
                    .usingRecursiveComparison()
                    .ignoringFields("pendingOut", "directMemory")
                    .isEqualTo(new ServerCounters(connections, 0, connections, 0, 0, 0, bytes, bytes, -1, -1, -1, -1));
            assertThat(server.stderr())
                    .as(server.output())
                    .anyMatch(line -> line.matches(".*in-flight guard: events=\\d+ violations=0"));
        }
    }

    static Stream<Arguments> badCommandLines() {
        return Stream.of(
                Arguments.of(List.of("--engine", "epoll"), "--engine"),
                Arguments.of(List.of("--workers", "0"), "--workers"),
                Arguments.of(List.of("--workers", "many"), "--workers"),
                Arguments.of(List.of("--engine", "kernel", "--write-buffer-low", "1m"), "--write-buffer-low"));
    }

    @ParameterizedTest
    @MethodSource("badCommandLines")
    void badOptionsExitTwoWithOneLineNamingTheOption(List<String> args, String option) {
        ServerVariant plain = ServerVariant.ONESHOT_NETTY.withServerArgs(List.of()); // the jar, no --engine
        List<String> all = new ArrayList<>(List.of("--port", "0"));
        all.addAll(args);
        try (ServerProcess server =
                ServerProcess.launch(plain, ServerProcess.TEST_JVM_ARGS, all.toArray(String[]::new))) {
            assertThat(server.awaitExit(Duration.ofSeconds(30)))
                    .as(server.output())
                    .isEqualTo(2);
            assertThat(server.stderr()).as(server.output()).hasSize(1);
            assertThat(server.stderr().get(0)).startsWith("oneshot-server: ").contains(option);
            assertThat(server.stdout()).isEmpty();
        }
    }

    @Test
    void kernelEngineRegistersEveryClientWithOneshotInOneEpollSetThatSeveralThreadsWaitOn() {
        try (ServerProcess server = ServerProcess.start(ServerVariant.ONESHOT_KERNEL, "--workers", "3")) {
            List<EchoClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    EchoClient client = server.connect();
                    clients.add(client);
                    assertThat(client.roundTrip(new byte[] {(byte) i})).containsExactly(i);
                }
                // Idle clients are armed again (the handler re-armed them after the echo).
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    List<EpollRegistration> registrations = clientRegistrations(server.pid(), clients);
                    assertThat(registrations).hasSize(clients.size());
                    assertThat(registrations).allSatisfy(r -> {
                        assertThat(r.has(EpollFlags.EPOLLONESHOT))
                                .as("EPOLLONESHOT 0x40000000 in %x", r.events())
                                .isTrue();
                        assertThat(r.has(EpollFlags.EPOLLIN))
                                .as("armed: EPOLLIN in %x", r.events())
                                .isTrue();
                        assertThat(r.has(EpollFlags.EPOLLRDHUP)).isTrue();
                        assertThat(r.has(EpollFlags.EPOLLET))
                                .as("level-triggered")
                                .isFalse();
                    });
                    assertThat(registrations.stream()
                                    .map(EpollRegistration::epollFd)
                                    .distinct())
                            .as("one shared epoll set")
                            .hasSize(1);
                });
                int epollFd = clientRegistrations(server.pid(), clients).get(0).epollFd();
                assertThat(ProcFs.epollRegistrations(server.pid()).stream()
                                .map(EpollRegistration::epollFd)
                                .distinct())
                        .as("the process has exactly one epoll instance")
                        .containsExactly(epollFd);

                // All three workers go back to epoll_wait on that one fd.
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    Map<Integer, List<ProcFs.BlockedThread>> waiters = ProcFs.epollWaiters(server.pid());
                    assertThat(waiters.getOrDefault(epollFd, List.of()))
                            .as("threads in epoll_wait on fd %d: %s", epollFd, waiters)
                            .hasSizeGreaterThanOrEqualTo(2)
                            .allSatisfy(t -> assertThat(t.name()).startsWith("oneshot-epoll-"));
                });
            } finally {
                clients.forEach(EchoClient::close);
            }
            server.stopChecked();
        }
    }

    @Test
    void nettyEngineSocketsKeepNettysEdgeTriggeredRegistrationWithoutOneshot() {
        try (ServerProcess server = ServerProcess.start(ServerVariant.ONESHOT_NETTY, "--workers", "2")) {
            try (EchoClient client = server.connect()) {
                assertThat(client.roundTrip(new byte[] {7})).containsExactly(7);
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    List<EpollRegistration> registrations = clientRegistrations(server.pid(), List.of(client));
                    assertThat(registrations).singleElement().satisfies(r -> {
                        assertThat(r.has(EpollFlags.EPOLLET)).isEqualTo(ServerVariant.ONESHOT_NETTY.epollet());
                        assertThat(r.has(EpollFlags.EPOLLONESHOT)).isEqualTo(ServerVariant.ONESHOT_NETTY.oneshot());
                        assertThat(r.has(EpollFlags.EPOLLIN))
                                .as("read() re-armed it")
                                .isTrue();
                    });
                });
            }
            server.stopChecked();
        }
    }

    /** The registrations of the server-side sockets whose peers are {@code clients}. */
    private static List<EpollRegistration> clientRegistrations(long pid, List<EchoClient> clients) {
        Map<Long, ProcFs.TcpSocket> sockets = ProcFs.tcpSockets(pid);
        List<Integer> clientPorts = clients.stream().map(EchoClient::localPort).toList();
        return ProcFs.epollRegistrations(pid).stream()
                .filter(r -> {
                    ProcFs.TcpSocket socket = sockets.get(ProcFs.socketInode(r.fdTarget()));
                    return socket != null && clientPorts.contains(socket.remotePort());
                })
                .toList();
    }
}
