package lab.epoll.rawepoll;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import lab.epoll.common.cli.ServerOptions;
import lab.epoll.common.server.ConnectionEnds;
import lab.epoll.common.server.ConnectionEnds.Reason;
import lab.epoll.common.server.OpenConnections;
import lab.epoll.common.stats.ConnectionStats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The admission's counters, on sockets a real listener accepted: whatever becomes of a connection past the limit,
 * it is counted accepted and ends exactly once, so {@code accepted == closed + active} holds as the
 * {@code stopped:} line and the behaviour tests read it; one over the limit is refused and not accepted.
 */
class AdmissionTest {
    private final ConnectionStats stats = new ConnectionStats();
    private final OpenConnections open = new OpenConnections();
    private final List<java.net.Socket> clients = new ArrayList<>();
    private Listener listener;

    @AfterEach
    void tearDown() throws IOException {
        for (java.net.Socket client : clients) {
            client.close();
        }
        if (listener != null) {
            listener.close();
        }
    }

    @Test
    void aSetUpThatFailsIsAcceptedAndEndsAsAnError() throws Exception {
        TestEngine engine = new TestEngine();
        engine.failSetUp = true;
        Admission<TestConnection> admission = admission(engine, "--port", "0");

        admission.admit(acceptOne(), "fd (set-up fails)");

        ConnectionStats.Snapshot counted = stats.snapshot();
        assertThat(counted.accepted()).as("accepted").isEqualTo(1);
        assertThat(counted.closed()).as("closed: its end, as an error").isEqualTo(1);
        assertThat(counted.active()).as("active").isZero();
        assertThat(counted.errors()).as("errors").isEqualTo(1);
        assertThat(open.count()).as("open").isZero();
        assertThat(readsEof(clients.get(0)))
                .as("the peer sees the socket closed")
                .isTrue();
    }

    @Test
    void aRegistrationThatFailsClosesTheConnectionAsAnError() throws Exception {
        TestEngine engine = new TestEngine();
        engine.failRegistration = true;
        Admission<TestConnection> admission = admission(engine, "--port", "0");

        admission.admit(acceptOne(), "fd (not registered)");

        assertThat(engine.closedWith).as("closed by the engine").containsExactly(Reason.ERROR);
        assertThat(engine.table.all()).as("left in the table").isEmpty();
        ConnectionStats.Snapshot counted = stats.snapshot();
        assertThat(counted.accepted()).as("accepted").isEqualTo(1);
        assertThat(counted.closed()).as("closed").isEqualTo(1);
        assertThat(counted.errors()).as("errors").isEqualTo(1);
        assertThat(open.count()).as("open").isZero();
    }

    @Test
    void oneOverMaxConnectionsIsRefusedNotAccepted() throws Exception {
        TestEngine engine = new TestEngine();
        Admission<TestConnection> admission = admission(engine, "--port", "0", "--max-connections", "1");

        admission.admit(acceptOne(), "fd (the first)");
        admission.admit(acceptOne(), "fd (one too many)");

        assertThat(engine.table.all()).extracting(TestConnection::name).containsExactly("fd (the first)");
        ConnectionStats.Snapshot counted = stats.snapshot();
        assertThat(counted.accepted()).as("accepted").isEqualTo(1);
        assertThat(counted.refused()).as("refused").isEqualTo(1);
        assertThat(counted.active()).as("active").isEqualTo(1);
        assertThat(open.count()).as("open").isEqualTo(1);
        assertThat(readsEof(clients.get(1)))
                .as("the refused peer sees the socket closed")
                .isTrue();
        engine.close(engine.table.all().iterator().next(), Reason.PEER);
        assertThat(stats.snapshot().closed())
                .as("closed")
                .isEqualTo(stats.snapshot().accepted());
    }

    private Admission<TestConnection> admission(TestEngine engine, String... args) throws Exception {
        ServerOptions options = ServerOptions.parse(args);
        ConnectionEnds ends = new ConnectionEnds(stats, open, false);
        engine.table = ConnectionTable.confined(options, ends);
        Epoll.ensureAvailability(); // loads the native library the listener's socket calls need
        listener = Listener.openAll(options).get(0);
        return new Admission<>(options, stats, open, ends, engine.table, engine);
    }

    /** A client connects (a blocking connect returns once the handshake is done); the listener accepts it. */
    private Socket acceptOne() throws IOException {
        java.net.Socket client = new java.net.Socket(
                listener.localAddress().getAddress(), listener.localAddress().getPort());
        client.setSoTimeout(5000);
        clients.add(client);
        int fd = listener.accept();
        assertThat(fd).as("an accepted fd").isPositive();
        return new Socket(fd);
    }

    private static boolean readsEof(java.net.Socket client) throws IOException {
        InputStream in = client.getInputStream();
        return in.read() < 0;
    }

    /** An engine whose set-up or registration fails when asked, the way an errno would. */
    private static final class TestEngine implements Admission.Engine<TestConnection> {
        ConnectionTable<TestConnection> table;
        boolean failSetUp;
        boolean failRegistration;
        final List<Reason> closedWith = new ArrayList<>();

        @Override
        public TestConnection newConnection(Socket socket, String name) throws IOException {
            if (failSetUp) {
                throw new IOException("setsockopt() failed with error(-9): Bad file descriptor");
            }
            return new TestConnection(socket.intValue(), name, System.nanoTime());
        }

        @Override
        public void register(TestConnection connection) throws IOException {
            if (failRegistration) {
                throw new IOException("epoll_ctl() failed with error(-12): Cannot allocate memory");
            }
        }

        @Override
        public void close(TestConnection connection, Reason reason) {
            closedWith.add(reason);
            Listener.refuse(new Socket(connection.fd()));
            table.ended(connection, reason);
        }
    }
}
