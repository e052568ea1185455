package lab.epoll.jmh.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The accept queue as the kernel reports it: connections that completed the handshake and wait for accept(2). */
class ListenQueueTest {
    @Test
    void countsConnectionsWaitingToBeAcceptedAndNoneOnceAccepted() throws Exception {
        List<Socket> clients = new ArrayList<>();
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = listener.getLocalPort();
            assertThat(ListenQueue.backlog(port)).as("queue before any connect").isZero();
            for (int i = 0; i < 5; i++) {
                clients.add(new Socket(InetAddress.getLoopbackAddress(), port));
            }
            assertThat(ListenQueue.backlog(port))
                    .as("queue after 5 connects, none accepted")
                    .isEqualTo(5);
            for (int i = 0; i < 5; i++) {
                listener.accept().close();
            }
            assertThat(ListenQueue.backlog(port))
                    .as("queue after accepting them")
                    .isZero();
        } finally {
            for (Socket client : clients) {
                client.close();
            }
        }
        assertThat(ListenQueue.backlog(0)).as("a port nobody listens on").isEqualTo(-1);
        assertThat(ListenQueue.overflows()).as("ListenOverflows so far").isGreaterThanOrEqualTo(0);
    }
}
