package lab.epoll.rawepoll;

import io.netty.channel.unix.Socket;
import java.io.IOException;
import lab.epoll.common.cli.ServerOptions;
import lab.epoll.common.server.ConnectionEnds;
import lab.epoll.common.server.ConnectionEnds.Reason;
import lab.epoll.common.server.ErrorText;
import lab.epoll.common.server.OpenConnections;
import lab.epoll.common.stats.ConnectionStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What becomes of a socket the listener just accepted: refused over {@code --max-connections} (or while the server
 * drains), otherwise counted accepted, set up ({@code --tcp-nodelay} and the rest, then the engine's connection),
 * filed in the {@link ConnectionTable} and registered in the engine's epoll set.
 *
 * <p>Accepted is counted before the set-up, and a set-up or registration that fails ends the connection as
 * {@link Reason#ERROR}: every connection past the limit ends exactly once, through {@link ConnectionEnds}, so the
 * {@code stopped:} line's {@code accepted} is its {@code closed}, and {@code active} the connections still open.
 */
public final class Admission<C extends EpollConnection> {
    private static final Logger log = LoggerFactory.getLogger(Admission.class);

    /** What differs from engine to engine: its connection, and how it enters (and leaves) the epoll set. */
    public interface Engine<C> {
        /** The engine's connection for this accepted, tuned socket. */
        C newConnection(Socket socket, String name) throws IOException;

        /** {@code EPOLL_CTL_ADD} with the engine's flags; the connection is in the table already. */
        void register(C connection) throws IOException;

        /** Closes a connection of the table, whose end then reaches {@link ConnectionTable#ended}. */
        void close(C connection, Reason reason);
    }

    private final ServerOptions options;
    private final ConnectionStats stats;
    private final OpenConnections open;
    private final ConnectionEnds ends;
    private final ConnectionTable<C> table;
    private final Engine<C> engine;

    public Admission(
            ServerOptions options,
            ConnectionStats stats,
            OpenConnections open,
            ConnectionEnds ends,
            ConnectionTable<C> table,
            Engine<C> engine) {
        this.options = options;
        this.stats = stats;
        this.open = open;
        this.ends = ends;
        this.table = table;
        this.engine = engine;
    }

    /** The thread that owns the table (one of them, where threads share it): serve this socket, or refuse it. */
    public void admit(Socket socket, String name) {
        if (!open.tryOpen(options.maxConnections())) {
            stats.refused();
            Listener.refuse(socket);
            return;
        }
        stats.accepted();
        C connection;
        try {
            SocketOptions.tuneAccepted(socket, options);
            connection = engine.newConnection(socket, name);
        } catch (IOException | RuntimeException e) {
            // One connection's failure, whatever it is: that connection ends, the listener goes on accepting.
            stats.error();
            log.warn("{}: setting up the accepted socket failed: {}", name, ErrorText.of(e));
            Listener.refuse(socket);
            ends.ended(name, 0, 0, Reason.ERROR);
            return;
        }
        if (options.verbose()) {
            log.info("accepted {}", connection.name());
        }
        // In the table before it is in the epoll set: where threads share the set, its first event may reach
        // another thread at once.
        table.add(connection);
        try {
            engine.register(connection);
        } catch (IOException e) {
            // Never in the set, so no other thread holds it: closing it here is safe.
            stats.error();
            log.warn("{}: epoll_ctl(ADD) failed: {}", connection.name(), ErrorText.of(e));
            engine.close(connection, Reason.ERROR);
        }
    }
}
