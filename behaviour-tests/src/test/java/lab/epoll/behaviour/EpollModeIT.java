package lab.epoll.behaviour;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import lab.epoll.catalog.EpollFlags;
import lab.epoll.catalog.ServerVariant;
import lab.epoll.process.EchoClient;
import lab.epoll.process.ProcFs;
import lab.epoll.process.ProcFs.EpollRegistration;
import lab.epoll.process.ProcFs.TcpSocket;
import lab.epoll.process.ServerProcess;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The mode a variant claims is the mode the kernel got. A server could print {@code mode=EDGE_TRIGGERED} and still
 * register its sockets level-triggered; {@code /proc/PID/fdinfo/EPOLL_FD} lists every registered fd with the
 * event mask the kernel holds, so we find the accepted socket for our client there and read its bits.
 */
class EpollModeIT {

    /** Each test's server ends with the checked stop: leak probe, SIGTERM, exit 0, no leak report. */
    @RegisterExtension
    final ServerProcesses servers = new ServerProcesses();

    @Execution(ExecutionMode.CONCURRENT)
    @EveryVariant
    void acceptedSocketsAreRegisteredInTheVariantsMode(ServerVariant variant) {
        Assumptions.assumeTrue(
                variant.usesEpoll(),
                () -> variant + " waits in " + variant.ioModel().kernelApi() + ", not epoll: no registrations to read");
        ServerProcess server = servers.start(variant);
        EpollRegistration accepted;
        try (EchoClient client = server.connect()) {
            byte[] hello = "Hello, epoll!\n".getBytes(StandardCharsets.US_ASCII);
            assertThat(client.roundTrip(hello)).isEqualTo(hello);
            accepted = await().atMost(Duration.ofSeconds(10))
                    .until(() -> registrationOfPeer(server.pid(), client.localPort()), Optional::isPresent)
                    .orElseThrow();
        }
        String mask = Long.toHexString(accepted.events());
        assertThat(accepted.has(EpollFlags.EPOLLIN)).as("EPOLLIN in %s", mask).isTrue();
        assertThat(accepted.has(EpollFlags.EPOLLET)).as("EPOLLET in %s", mask).isEqualTo(variant.epollet());
        assertThat(accepted.has(EpollFlags.EPOLLONESHOT))
                .as("EPOLLONESHOT in %s", mask)
                .isEqualTo(variant.oneshot());
    }

    /**
     * The kernel object a variant waits in is the one its transport names: an epoll instance, or for io_uring a
     * ring and no epoll instance at all (poll(2) leaves no fd of its own).
     */
    @Execution(ExecutionMode.CONCURRENT)
    @EveryVariant
    void theServerWaitsInTheKernelObjectOfItsTransport(ServerVariant variant) {
        ServerProcess server = servers.start(variant);
        try (EchoClient client = server.connect()) {
            byte[] hello = "Hello, kernel!\n".getBytes(StandardCharsets.US_ASCII);
            assertThat(client.roundTrip(hello)).isEqualTo(hello);
            Collection<String> fds = ProcFs.fds(server.pid()).values();
            assertThat(fds.contains("anon_inode:[eventpoll]"))
                    .as("an eventpoll fd in %s: %s", variant, fds)
                    .isEqualTo(variant.usesEpoll());
            assertThat(fds.contains("anon_inode:[io_uring]"))
                    .as("an io_uring fd in %s: %s", variant, fds)
                    .isEqualTo(variant.ioModel().kernelApi().equals("io_uring"));
        }
    }

    /** The server's epoll registration of the socket whose peer is our client's port. */
    private static Optional<EpollRegistration> registrationOfPeer(long pid, int clientPort) {
        Map<Long, TcpSocket> sockets = ProcFs.tcpSockets(pid);
        return ProcFs.epollRegistrations(pid).stream()
                .filter(r -> {
                    TcpSocket socket = sockets.get(ProcFs.socketInode(r.fdTarget()));
                    return socket != null && socket.remotePort() == clientPort;
                })
                .findFirst();
    }
}
