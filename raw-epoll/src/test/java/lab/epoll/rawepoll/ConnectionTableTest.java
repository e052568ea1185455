package lab.epoll.rawepoll;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import lab.epoll.common.cli.ServerOptions;
import lab.epoll.common.server.ConnectionEnds;
import lab.epoll.common.server.ConnectionEnds.Reason;
import lab.epoll.common.server.OpenConnections;
import lab.epoll.common.stats.ConnectionStats;
import org.junit.jupiter.api.Test;

/** The idle sweep and the ends, on a table whose connections say when they last moved a byte. */
class ConnectionTableTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final ConnectionStats stats = new ConnectionStats();
    private final OpenConnections open = new OpenConnections();

    @Test
    void theSweepClosesWhatWasIdleForTheTimeoutAndNothingElse() {
        ConnectionTable<TestConnection> table = table("--idle-timeout", "1s");
        long now = 100 * SECOND;
        TestConnection idleLonger = add(table, lastMoved(10, now - 2 * SECOND));
        TestConnection idleExactly = add(table, lastMoved(11, now - SECOND));
        add(table, lastMoved(12, now - SECOND + 1));

        // The loop's close ends each one, taking it out of the table the sweep walks.
        table.sweepIdle(now, connection -> table.ended(connection, Reason.IDLE));

        assertThat(table.all()).extracting(TestConnection::fd).containsExactly(12);
        assertThat(table.get(idleLonger.fd())).isNull();
        assertThat(table.get(idleExactly.fd())).isNull();
        ConnectionStats.Snapshot counted = stats.snapshot();
        assertThat(counted.closed()).as("closed").isEqualTo(2);
        assertThat(counted.closedIdle()).as("closed-idle").isEqualTo(2);
        assertThat(open.count()).as("open").isEqualTo(1);
    }

    @Test
    void noIdleTimeoutNoSweep() {
        ConnectionTable<TestConnection> table = table("--idle-timeout", "0");
        add(table, lastMoved(10, 0));
        List<TestConnection> closed = new ArrayList<>();

        table.sweepIdle(1000 * SECOND, closed::add);

        assertThat(closed).isEmpty();
    }

    @Test
    void anEndLeavesANewerConnectionOnTheSameFdInPlace() {
        ConnectionTable<TestConnection> table = table();
        TestConnection old = add(table, lastMoved(10, 0));
        TestConnection newer = add(table, lastMoved(10, 1)); // the kernel gave the number again

        table.ended(old, Reason.PEER);

        assertThat(table.get(10)).isSameAs(newer);
    }

    private ConnectionTable<TestConnection> table(String... args) {
        return ConnectionTable.shared(ServerOptions.parse(args), new ConnectionEnds(stats, open, true));
    }

    private static TestConnection lastMoved(int fd, long nanos) {
        return new TestConnection(fd, "fd=" + fd, nanos);
    }

    private TestConnection add(ConnectionTable<TestConnection> table, TestConnection connection) {
        assertThat(open.tryOpen(0)).isTrue();
        table.add(connection);
        return connection;
    }
}
