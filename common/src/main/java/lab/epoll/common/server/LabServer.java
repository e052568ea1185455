package lab.epoll.common.server;

import java.net.InetSocketAddress;
import java.time.Duration;
import lab.epoll.common.stats.ConnectionStats;

/**
 * A running echo server as the command line drives it. {@link EchoServer} is the Netty one; a variant that runs
 * its own event loops (the ONESHOT kernel engine) implements this too and gets the same CLI, startup line,
 * signals, shutdown and summary.
 */
public interface LabServer {

    /** Binds and starts serving; returns the address actually bound (the real port when asked for port 0). */
    InetSocketAddress start() throws ServerStartException;

    /**
     * What tells this variant apart on the {@code listening on} line, e.g. {@code mode=EDGE_TRIGGERED, io-threads=2};
     * only the settings this server really has.
     */
    String describe();

    /** Graceful shutdown: refuse new connections, let open ones finish within {@code grace}, close the rest. */
    void stop(Duration grace);

    ConnectionStats.Snapshot stats();

    /** The server's budget for echo it holds unsent ({@code --max-pending-bytes}). */
    PendingBudget budget();
}
