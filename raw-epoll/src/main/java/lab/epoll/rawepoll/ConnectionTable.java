package lab.epoll.rawepoll;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import lab.epoll.common.cli.ServerOptions;
import lab.epoll.common.server.ConnectionEnds;
import lab.epoll.common.server.ConnectionEnds.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections an engine serves, by fd, from their {@link Admission} to their {@link #ended end}: what an
 * epoll event's fd is looked up in, and what the idle sweep walks.
 */
public final class ConnectionTable<C extends EpollConnection> {
    private static final Logger log = LoggerFactory.getLogger(ConnectionTable.class);

    private final Map<Integer, C> connections;
    private final Collection<C> view;
    private final ConnectionEnds ends;
    private final long idleNanos;
    private final boolean verbose;

    private ConnectionTable(Map<Integer, C> connections, ServerOptions options, ConnectionEnds ends) {
        this.connections = connections;
        this.view = Collections.unmodifiableCollection(connections.values());
        this.ends = ends;
        this.idleNanos = options.idleTimeout().toNanos();
        this.verbose = options.verbose();
    }

    /** For a loop whose thread alone touches the table: a plain map, nothing to synchronise on each event. */
    public static <C extends EpollConnection> ConnectionTable<C> confined(ServerOptions options, ConnectionEnds ends) {
        return new ConnectionTable<>(new HashMap<>(), options, ends);
    }

    /** For threads that share one epoll set: any of them may look up, file or end a connection. */
    public static <C extends EpollConnection> ConnectionTable<C> shared(ServerOptions options, ConnectionEnds ends) {
        return new ConnectionTable<>(new ConcurrentHashMap<>(), options, ends);
    }

    /** The connection filed under this fd, or null (the fd is a listener, the timer, or not one of ours). */
    public C get(int fd) {
        return connections.get(fd);
    }

    void add(C connection) {
        connections.put(connection.fd(), connection);
    }

    /** Every connection now, a live view: copy it before ending connections while walking it. */
    public Collection<C> all() {
        return view;
    }

    /**
     * The connection was closed: it leaves the table (unless its fd already belongs to a newer one) and its end
     * is counted, with the {@code --verbose} line, by {@link ConnectionEnds}.
     */
    public void ended(C connection, Reason reason) {
        connections.remove(connection.fd(), connection);
        ends.ended(connection.name(), connection.bytesIn(), connection.bytesOut(), reason);
    }

    /**
     * The idle sweep, when the timer fires: hands every connection that moved no byte for {@code --idle-timeout}
     * or longer to {@code close}, which ends it as {@link Reason#IDLE} (at once, or by asking its owner).
     */
    public void sweepIdle(long nowNanos, Consumer<C> close) {
        if (idleNanos == 0) {
            return;
        }
        List<C> idle = new ArrayList<>();
        for (C connection : connections.values()) {
            if (nowNanos - connection.lastActivityNanos() >= idleNanos) {
                idle.add(connection);
            }
        }
        // Closed after the walk: a loop's close takes the connection out of the map being walked.
        for (C connection : idle) {
            if (verbose) {
                log.info("{} idle for too long, closing it", connection.name());
            }
            close.accept(connection);
        }
    }
}
