package lab.epoll.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import lab.epoll.catalog.ServerVariant;
import lab.epoll.process.EchoClient;
import lab.epoll.process.ProcFs;
import lab.epoll.process.ServerProcess;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * What a connection costs in kernel threads, from the kernel's own count ({@code Threads:} in
 * {@code /proc/PID/status}): one each for a platform thread per connection, none for virtual threads or an
 * event loop, whose connections share the threads the server started with. The two expectations guard each
 * other: each fails on the other kind of server.
 */
class KernelThreadsIT {
    static final int CONNECTIONS = 200;

    @RegisterExtension
    final ServerProcesses servers = new ServerProcesses();

    @Execution(ExecutionMode.CONCURRENT)
    @EveryVariant
    void aConnectionIsAKernelThreadOnlyOnPlatformThreads(ServerVariant variant) {
        ServerProcess server = servers.start(variant);
        long before = threads(server);
        byte[] ping = "ping".getBytes(StandardCharsets.US_ASCII);
        List<EchoClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < CONNECTIONS; i++) {
                EchoClient client = server.connect();
                clients.add(client);
                assertThat(client.roundTrip(ping)).isEqualTo(ping); // its thread, if it has one, is running
            }
            long during = threads(server);
            System.out.printf(
                    "%s: %d kernel threads, %d with %d connections open%n", variant, before, during, CONNECTIONS);
            if (variant.ioModel() == ServerVariant.IoModel.JDK_THREADS) {
                assertThat(during - before)
                        .as("new kernel threads for %d connections", CONNECTIONS)
                        .isGreaterThanOrEqualTo(CONNECTIONS);
            } else {
                assertThat(during - before)
                        .as("new kernel threads for %d connections", CONNECTIONS)
                        .isLessThan(CONNECTIONS / 10);
            }
        } finally {
            clients.forEach(EchoClient::close);
        }
        if (variant.ioModel() == ServerVariant.IoModel.JDK_THREADS) {
            server.awaitValue(
                    "the connections' threads ended", () -> threads(server), n -> n < before + CONNECTIONS / 10);
        }
    }

    private static long threads(ServerProcess server) {
        return ProcFs.statusNumber(server.pid(), "Threads");
    }
}
