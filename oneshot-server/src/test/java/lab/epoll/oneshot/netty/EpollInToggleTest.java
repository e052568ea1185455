package lab.epoll.oneshot.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import lab.epoll.catalog.EpollFlags;
import lab.epoll.common.cli.ServerOptions;
import lab.epoll.common.server.EchoServer;
import lab.epoll.oneshot.InProcessServer;
import lab.epoll.process.EchoClient;
import lab.epoll.process.ProcFs;
import lab.epoll.process.ProcFs.EpollRegistration;
import lab.epoll.testkit.FailOnLeaks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the Netty engine's emulation costs, seen from the kernel: while a worker holds a connection's read, Netty
 * has taken {@code EPOLLIN} out of the socket's registration ({@code epoll_ctl(EPOLL_CTL_MOD)}), and the
 * worker's {@code read()} puts it back (another MOD). {@code /proc/self/fdinfo} shows both states. The kernel's
 * {@code EPOLLONESHOT} would disarm the socket as part of delivering the event, without a system call.
 */
@ExtendWith(FailOnLeaks.class)
class EpollInToggleTest {
    private static final long PID = ProcessHandle.current().pid();

    @Test
    void epollInIsRemovedWhileAWorkerHoldsTheReadAndRestoredByRead() throws Exception {
        CountDownLatch workerHasRead = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean first = new AtomicBoolean(true);
        WorkerPoolTransport transport = new WorkerPoolTransport(2, (ctx, bytes) -> {
            if (first.getAndSet(false)) {
                workerHasRead.countDown();
                assertThat(release.await(20, TimeUnit.SECONDS)).isTrue();
            }
        });
        ServerOptions options = ServerOptions.parse("--port", "0");
        try (InProcessServer server = InProcessServer.of(new EchoServer(options, transport), transport.inFlight());
                EchoClient client = EchoClient.connect(server.address())) {
            // Armed: channelActive called read(), so EPOLLIN is in the registration.
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> registration(client).has(EpollFlags.EPOLLIN));
            EpollRegistration armed = registration(client);
            assertThat(armed.has(EpollFlags.EPOLLET))
                    .as("Netty's default mode, edge-triggered")
                    .isTrue();
            assertThat(armed.has(EpollFlags.EPOLLRDHUP)).isTrue();
            assertThat(armed.has(EpollFlags.EPOLLONESHOT))
                    .as("Netty never asks for EPOLLONESHOT")
                    .isFalse();

            client.send("ping".getBytes());
            assertThat(workerHasRead.await(10, TimeUnit.SECONDS)).isTrue();
            // A worker holds the read: Netty has removed EPOLLIN with epoll_ctl(MOD); the rest stays.
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> !registration(client).has(EpollFlags.EPOLLIN));
            EpollRegistration disarmed = registration(client);
            assertThat(disarmed.has(EpollFlags.EPOLLRDHUP)).isTrue();
            assertThat(disarmed.has(EpollFlags.EPOLLET)).isTrue();
            assertThat(disarmed.epollFd()).isEqualTo(armed.epollFd());

            release.countDown();
            assertThat(client.readExactly(4)).isEqualTo("ping".getBytes());
            // The worker's read() re-armed it: EPOLLIN is back.
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> registration(client).has(EpollFlags.EPOLLIN));
            assertThat(server.inFlight().violations()).isZero();
        } finally {
            release.countDown();
        }
    }

    /** The server-side socket of {@code client} in this JVM's epoll sets: the one whose peer port is the client's. */
    private static EpollRegistration registration(EchoClient client) {
        var sockets = ProcFs.tcpSockets(PID);
        List<EpollRegistration> matches = ProcFs.epollRegistrations(PID).stream()
                .filter(r -> {
                    ProcFs.TcpSocket socket = sockets.get(ProcFs.socketInode(r.fdTarget()));
                    return socket != null && socket.remotePort() == client.localPort();
                })
                .toList();
        assertThat(matches).as("registrations of the accepted socket").hasSize(1);
        return matches.get(0);
    }
}
