package lab.epoll.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import lab.epoll.catalog.ServerVariant;
import lab.epoll.catalog.ServerVariant.Feature;
import lab.epoll.process.EchoClient;
import lab.epoll.process.ServerCounters;
import lab.epoll.process.ServerProcess;
import lab.epoll.testkit.Payload;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * {@code --max-connections N}: with N connections open, every further one (here a burst of 20 at
 * once) is accepted and closed at once, unanswered, and counted {@code refused}; the N admitted ones keep
 * echoing; and when one of them leaves, its slot is free again.
 *
 * <p>Why it matters for epoll: the limit is enforced after {@code accept(2)}, on whichever event loop got the
 * connection, so admission must be one atomic step across loops (a burst must not slip N+1 through), a refused
 * connection must be closed without ever being registered for reading, and the listener must keep draining its
 * accept queue while it refuses (an edge-triggered listener that stops after one accept strands the rest of the
 * burst in the queue, where it would neither be served nor refused).
 */
class MaxConnectionsIT {
    static final int MAX = 5;
    static final int BURST = 20;

    @RegisterExtension
    final ServerProcesses servers = new ServerProcesses();

    /**
     * Without {@code --max-connections} the limit follows the open-file limit, less a tenth and 64 for the
     * server's own fds, and the listening line says it: under {@code ulimit -n 1000}, 836. A full server then
     * refuses connections one by one (as above) instead of failing accept(2) with EMFILE for everyone.
     */
    @Execution(ExecutionMode.CONCURRENT)
    @EveryVariant
    void theDefaultLimitFollowsTheOpenFileLimitAndIsPrinted(ServerVariant variant) {
        Assumptions.assumeTrue(variant.has(Feature.CONNECTION_LIMIT), () -> variant + " has no --max-connections");
        ServerProcess server = servers.startWithOpenFileLimit(1000, variant);
        assertThat(server.stdout().get(0)).as("the listening line").contains("max-connections=836,");
        server.stopChecked();
    }

    @Execution(ExecutionMode.CONCURRENT)
    @EveryVariant
    void connectionsBeyondTheLimitAreClosedAtOnceAndCounted(ServerVariant variant) {
        Assumptions.assumeTrue(variant.has(Feature.CONNECTION_LIMIT), () -> variant + " has no --max-connections");
        Assumptions.assumeTrue(
                variant.has(Feature.COUNTERS),
                () -> variant + " counts no refused connections, and the test waits on its counters for a free slot");
        ServerProcess server = servers.start(variant, "--max-connections", Integer.toString(MAX));
        byte[] message = new Payload(8).bytes(0, 256);
        List<EchoClient> admitted = new ArrayList<>();
        List<EchoClient> burst = new ArrayList<>();
        try {
            for (int i = 0; i < MAX; i++) {
                EchoClient client = server.connect();
                admitted.add(client);
                assertThat(client.roundTrip(message))
                        .as("admitted connection %d echoes", i)
                        .isEqualTo(message);
            }

            for (int i = 0; i < BURST; i++) {
                burst.add(server.connect());
            }
            for (int i = 0; i < BURST; i++) {
                assertThat(burst.get(i).readsEof())
                        .as("connection %d beyond the limit is closed by the server", i)
                        .isTrue();
            }
            ServerCounters full = server.awaitStats("the burst counted as refused", c -> c.refused() == BURST);
            assertThat(full.active()).as("active while full").isEqualTo(MAX);
            assertThat(full.accepted()).as("accepted while full").isEqualTo(MAX);

            for (int i = 0; i < MAX; i++) {
                assertThat(admitted.get(i).roundTrip(message))
                        .as("admitted connection %d still echoes", i)
                        .isEqualTo(message);
            }

            // One leaves; once the server has seen it go, a newcomer takes its place.
            admitted.remove(0).close();
            server.awaitStats("a slot free", c -> c.active() == MAX - 1);
            EchoClient newcomer = server.connect();
            admitted.add(newcomer);
            assertThat(newcomer.roundTrip(message))
                    .as("a newcomer in the freed slot echoes")
                    .isEqualTo(message);
        } finally {
            admitted.forEach(EchoClient::close);
            burst.forEach(EchoClient::close);
        }
        server.awaitStats("every connection closed", c -> c.active() == 0);
        server.awaitFdsAtBaseline();

        server.stopChecked();
        ServerCounters summary = server.summary();
        assertThat(summary.refused()).as("summary refused").isEqualTo(BURST);
        assertThat(summary.accepted())
                .as("summary accepted: the limit, the newcomer, the leak probe")
                .isEqualTo(MAX + 1 + ServerProcess.LEAK_PROBE_CONNECTIONS);
        assertThat(summary.errors()).as("summary errors").isZero();
    }
}
