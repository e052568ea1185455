package lab.epoll.common.server;

import lab.epoll.common.stats.ConnectionStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of a connection in an engine that runs its own threads (the raw loops, the kernel ONESHOT engine, the
 * thread-per-connection server), kept alike in all of them: the counters, the {@code --verbose} line, and the
 * open count the graceful drain waits on. The Netty variants get the same from their pipeline's handlers.
 */
public final class ConnectionEnds {
    /** Why a connection ended. */
    public enum Reason {
        PEER,
        IDLE,
        SHUTDOWN,
        ERROR
    }

    private static final Logger log = LoggerFactory.getLogger(ConnectionEnds.class);

    private final ConnectionStats stats;
    private final OpenConnections open;
    private final boolean verbose;

    public ConnectionEnds(ConnectionStats stats, OpenConnections open, boolean verbose) {
        this.stats = stats;
        this.open = open;
        this.verbose = verbose;
    }

    /** One connection ended: counted closed (and idle, for {@link Reason#IDLE}), logged with --verbose, no longer open. */
    public void ended(String name, long bytesIn, long bytesOut, Reason reason) {
        stats.closed();
        if (reason == Reason.IDLE) {
            stats.closedIdle();
        }
        if (verbose) {
            log.info(
                    "closed {}: {} bytes in, {} bytes out{}",
                    name,
                    bytesIn,
                    bytesOut,
                    reason == Reason.IDLE ? " (idle)" : "");
        }
        open.closed();
    }
}
