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
        ConnectionTable<Idle> table = table("--idle-timeout", "1s");
        long now = 100 * SECOND;
        Idle idleLonger = add(table, new Idle(10, now - 2 * SECOND));
        Idle idleExactly = add(table, new Idle(11, now - SECOND));
        add(table, new Idle(12, now - SECOND + 1));

        // The loop's close ends each one, taking it out of the table the sweep walks.
        table.sweepIdle(now, connection -> table.ended(connection, Reason.IDLE));

        assertThat(table.all()).extracting(Idle::fd).containsExactly(12);
        assertThat(table.get(idleLonger.fd())).isNull();
        assertThat(table.get(idleExactly.fd())).isNull();
        ConnectionStats.Snapshot counted = stats.snapshot();
        assertThat(counted.closed()).as("closed").isEqualTo(2);
        assertThat(counted.closedIdle()).as("closed-idle").isEqualTo(2);
        assertThat(open.count()).as("open").isEqualTo(1);
    }

    @Test
    void noIdleTimeoutNoSweep() {
        ConnectionTable<Idle> table = table("--idle-timeout", "0");
        add(table, new Idle(10, 0));
        List<Idle> closed = new ArrayList<>();

        table.sweepIdle(1000 * SECOND, closed::add);

        assertThat(closed).isEmpty();
    }

    @Test
    void anEndLeavesANewerConnectionOnTheSameFdInPlace() {
        ConnectionTable<Idle> table = table();
        Idle old = add(table, new Idle(10, 0));
        Idle newer = add(table, new Idle(10, 1)); // the kernel gave the number again

        table.ended(old, Reason.PEER);

        assertThat(table.get(10)).isSameAs(newer);
    }

    private ConnectionTable<Idle> table(String... args) {
        return ConnectionTable.shared(ServerOptions.parse(args), new ConnectionEnds(stats, open, true));
    }

    private Idle add(ConnectionTable<Idle> table, Idle connection) {
        assertThat(open.tryOpen(0)).isTrue();
        table.add(connection);
        return connection;
    }

    private record Idle(int fd, long lastActivityNanos) implements EpollConnection {
        @Override
        public String name() {
            return "fd=" + fd;
        }

        @Override
        public long bytesIn() {
            return 0;
        }

        @Override
        public long bytesOut() {
            return 0;
        }
    }
}
