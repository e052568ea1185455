package lab.epoll.blocking;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import lab.epoll.common.cli.ByteSizeConverter;
import lab.epoll.common.cli.ServerOptions;
import lab.epoll.common.server.ConnectionEnds;
import lab.epoll.common.server.ConnectionEnds.Reason;
import lab.epoll.common.server.ErrorText;
import lab.epoll.common.server.HostPort;
import lab.epoll.common.server.LabServer;
import lab.epoll.common.server.Listen;
import lab.epoll.common.server.OpenConnections;
import lab.epoll.common.server.PeerFailureLog;
import lab.epoll.common.server.PendingBudget;
import lab.epoll.common.server.ServerStartException;
import lab.epoll.common.server.StatsLine;
import lab.epoll.common.stats.ConnectionStats;
import lab.epoll.common.transport.DualStack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model event loops replaced, and virtual threads bring back: one thread blocks in {@code accept}, and every
 * connection gets a thread of its own that blocks in {@code read} and {@code write} ({@link BlockingConnection}).
 * No selector, no readiness, no state machine: the kernel (platform threads) or the JDK's scheduler and poller
 * (virtual threads) decide who runs.
 *
 * <p>Beside them one platform thread runs the timers: the idle sweep (every quarter of {@code --idle-timeout} it
 * closes connections that moved no byte for longer) and the stats line.
 */
final class ThreadPerConnectionServer implements LabServer {
    private static final Logger log = LoggerFactory.getLogger(ThreadPerConnectionServer.class);

    /** Bytes one read may take: {@code java.io}'s usual 8 KiB, less when the high water mark is lower. */
    static final int READ_BUFFER_BYTES = 8 * 1024;
    /** How long the acceptor rests after {@code accept} failed (EMFILE...), as the other engines do. */
    private static final long ACCEPT_BACKOFF_MILLIS = 1000;

    private final ServerOptions options;
    private final ThreadKind kind;
    private final int bufferBytes;
    private final ConnectionStats stats = new ConnectionStats();
    private final PendingBudget budget;
    private final BudgetGate gate;
    private final LongAdder pendingOut = new LongAdder();
    private final OpenConnections open = new OpenConnections();
    private final ConnectionEnds ends;
    private final Set<BlockingConnection> connections = ConcurrentHashMap.newKeySet();
    private ServerSocket listener;
    private ThreadFactory connectionThreads;
    private Thread acceptor;
    private ScheduledExecutorService timers;

    /** Carrier threads for virtual threads, 0 for the JDK's default; -1 on platform threads. */
    private final int carriers;

    ThreadPerConnectionServer(ServerOptions options, ThreadKind kind, int carriers) {
        this.options = options;
        this.kind = kind;
        this.carriers = carriers;
        this.bufferBytes = Math.min(READ_BUFFER_BYTES, options.writeBufferHigh());
        this.budget = new PendingBudget(options.maxPendingBytes());
        this.gate = new BudgetGate(budget);
        this.ends = new ConnectionEnds(stats, open, options.verbose());
    }

    @Override
    public String describe() {
        return "model=thread-per-connection, threads=" + kind
                + (carriers < 0 ? "" : ", carriers=" + (carriers == 0 ? "JDK default (one per core)" : carriers))
                + ", read-buffer=" + ByteSizeConverter.format(bufferBytes) + ", java="
                + System.getProperty("java.version");
    }

    @Override
    public InetSocketAddress start() throws ServerStartException {
        ThreadKind.useCarriers(carriers);
        connectionThreads = kind.factory("connection");
        ThreadFactory acceptorThread = kind.factory("acceptor");
        InetAddress address = Listen.resolve(options.host());
        InetSocketAddress wanted = new InetSocketAddress(address, options.port());
        try {
            listener = new ServerSocket();
            listener.setReuseAddress(true);
            listener.bind(wanted, options.backlog());
        } catch (IOException e) {
            closeListener();
            throw new ServerStartException("cannot listen on " + HostPort.format(wanted) + ": " + ErrorText.of(e), e);
        }
        DualStack.warnIfIpv4Wildcard(address, "java.net.ServerSocket");
        startTimers();
        acceptor = acceptorThread.newThread(this::acceptUntilClosed);
        acceptor.start();
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    private void acceptUntilClosed() {
        while (!listener.isClosed()) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (listener.isClosed()) {
                    return;
                }
                stats.error();
                log.warn(
                        "accept on {} failed: {}; accepting again in 1 s",
                        HostPort.format((InetSocketAddress) listener.getLocalSocketAddress()),
                        ErrorText.of(e));
                try {
                    Thread.sleep(ACCEPT_BACKOFF_MILLIS);
                } catch (InterruptedException interrupted) {
                    return;
                }
                continue;
            }
            admit(socket);
        }
    }

    private void admit(Socket socket) {
        if (!open.tryOpen(options.maxConnections())) {
            stats.refused();
            closeQuietly(socket);
            return;
        }
        BlockingConnection connection = null;
        try {
            socket.setTcpNoDelay(options.tcpNoDelay());
            connection = new BlockingConnection(socket, bufferBytes, options.minProgress(), this, stats, budget, gate);
            // Counted before its thread runs, so that the thread's own close is never counted first.
            connections.add(connection);
            stats.accepted();
            connectionThreads.newThread(connection).start();
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            // OutOfMemoryError here is "unable to create native thread": that connection is closed, the server
            // goes on with those it has.
            stats.error();
            log.warn("setting up a connection failed: {}; closing it", ErrorText.of(e));
            closeQuietly(socket);
            if (connection != null) {
                finished(connection, Reason.ERROR);
            } else {
                open.closed();
            }
            return;
        }
        if (options.verbose()) {
            log.info("accepted {}", connection.name());
        }
    }

    /** A connection's thread is done with it, for {@code reason}. */
    void finished(BlockingConnection connection, Reason reason) {
        if (!connections.remove(connection)) {
            return;
        }
        ends.ended(connection.name(), connection.bytesIn(), connection.bytesOut(), reason);
    }

    /** A reset or broken pipe: the peer's doing, one line, no stack trace. */
    void peerFailed(BlockingConnection connection, IOException e) {
        stats.error();
        PeerFailureLog.failed(connection.name(), ErrorText.of(e));
    }

    /** A bug in serving one connection: logged with its trace, that connection closed, the server goes on. */
    void failed(BlockingConnection connection, Throwable e) {
        stats.error();
        log.warn("{} failed; closing it", connection.name(), e);
    }

    void pendingOut(long bytes) {
        pendingOut.add(bytes);
    }

    private void startTimers() {
        long idleNanos = options.idleTimeout().toNanos();
        long statsNanos = options.statsInterval().toNanos();
        if (idleNanos == 0 && statsNanos == 0) {
            return;
        }
        timers = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "timers");
            thread.setDaemon(true);
            return thread;
        });
        if (idleNanos > 0) {
            long period = Math.max(1, idleNanos / 4);
            timers.scheduleAtFixedRate(() -> closeIdle(idleNanos), period, period, TimeUnit.NANOSECONDS);
        }
        if (statsNanos > 0) {
            timers.scheduleAtFixedRate(
                    () -> log.info(StatsLine.of(stats, pendingOut.sum(), null, budget)),
                    statsNanos,
                    statsNanos,
                    TimeUnit.NANOSECONDS);
        }
    }

    private void closeIdle(long idleNanos) {
        long now = System.nanoTime();
        for (BlockingConnection connection : connections) {
            if (connection.idleNanos(now) >= idleNanos) {
                if (options.verbose()) {
                    log.info("{} idle for too long, closing it", connection.name());
                }
                connection.close(Reason.IDLE);
            }
        }
    }

    /** Stops accepting at once, lets open connections finish for up to {@code grace}, closes the rest. */
    @Override
    public void stop(Duration grace) {
        closeListener();
        open.startDraining();
        open.drain(grace, () -> new ArrayList<>(connections).forEach(c -> c.close(Reason.SHUTDOWN)));
        if (timers != null) {
            timers.shutdownNow();
        }
        if (acceptor != null) {
            try {
                acceptor.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void closeListener() {
        if (listener != null) {
            try {
                listener.close();
            } catch (IOException e) {
                log.warn("closing the listener failed: {}", ErrorText.of(e));
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // A connection that was never served: nothing more to do.
        }
    }

    @Override
    public ConnectionStats.Snapshot stats() {
        return stats.snapshot();
    }

    @Override
    public PendingBudget budget() {
        return budget;
    }
}
