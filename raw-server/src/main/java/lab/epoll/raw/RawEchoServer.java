package lab.epoll.raw;

import static lab.epoll.catalog.EpollFlags.EPOLLIN;
import static lab.epoll.catalog.EpollFlags.EPOLLRDHUP;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.epoll.EpollEventArray;
import io.netty.channel.epoll.LabEpollAccess;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import lab.epoll.catalog.EpollFlags;
import lab.epoll.common.cli.ServerOptions;
import lab.epoll.common.server.AcceptBatch;
import lab.epoll.common.server.ConnectionEnds;
import lab.epoll.common.server.ConnectionEnds.Reason;
import lab.epoll.common.server.ErrorText;
import lab.epoll.common.server.LabServer;
import lab.epoll.common.server.MinProgress;
import lab.epoll.common.server.PeerFailureLog;
import lab.epoll.common.server.PendingBudget;
import lab.epoll.common.server.ServerStartException;
import lab.epoll.common.stats.ConnectionStats;
import lab.epoll.rawepoll.EpollSet;
import lab.epoll.rawepoll.Listener;
import lab.epoll.common.server.OpenConnections;
import lab.epoll.rawepoll.ReadSizer;
import lab.epoll.rawepoll.SocketOptions;
import lab.epoll.common.server.StatsLine;
import lab.epoll.rawepoll.SweepTimer;
import lab.epoll.rawepoll.UnsentEcho;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exercise's echo server: ONE thread, ONE epoll set, a table of connections by fd, and the {@link Mode}'s
 * recipe for what an event means. In the set beside the clients:
 * <ul>
 *   <li>the listening socket(s), with the mode's trigger: {@code lt} accepts one connection per event,
 *       {@code et} accepts until {@code EAGAIN}; {@code --accept-batch} lets lt take more;</li>
 *   <li>a timerfd, the idle sweep the exercise's bonus asks for: every quarter of {@code --idle-timeout} the
 *       loop closes connections that moved no byte for longer;</li>
 *   <li>an eventfd through which other threads hand the loop work (shutdown's steps): the loop alone touches
 *       sockets, so nothing here needs a lock.</li>
 * </ul>
 * The system calls are Netty's JNI bindings; no Netty event loop, channel or pipeline is involved.
 */
public final class RawEchoServer implements LabServer {
    private static final Logger log = LoggerFactory.getLogger(RawEchoServer.class);

    /** Events one {@code epoll_wait} may return when {@code --max-events} is 0: the exercise's 64. */
    static final int DEFAULT_MAX_EVENTS = 64;

    private final ServerOptions options;
    private final Mode mode;
    /** Accepts per listener event ({@code --accept-batch}); 0: until EAGAIN. */
    private final int acceptBatch;
    private final int maxEvents;
    private final ByteBufAllocator allocator;
    private final long idleNanos;
    private final long statsNanos;
    private final long timerPeriodNanos;
    private final ConnectionStats stats = new ConnectionStats();
    private final PendingBudget budget;

    // Loop thread only.
    private final Map<Integer, RawConnection> connections = new HashMap<>();
    private final List<Listener> listeners = new ArrayList<>();
    private boolean armTimer;
    private boolean budgetChanged;
    private long nextStatsNanos;

    // Shared with the thread that calls stop().
    private final OpenConnections open = new OpenConnections();
    private final ConnectionEnds ends;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private volatile boolean running = true;
    private EpollSet epoll;
    private Thread loop;

    public RawEchoServer(ServerOptions options, Mode mode) {
        this.options = options;
        this.mode = mode;
        this.acceptBatch = options.acceptBatch(mode.acceptBatch());
        this.maxEvents = options.maxEvents() > 0 ? options.maxEvents() : DEFAULT_MAX_EVENTS;
        this.allocator = options.allocator().instance();
        this.idleNanos = options.idleTimeout().toNanos();
        this.statsNanos = options.statsInterval().toNanos();
        this.timerPeriodNanos = SweepTimer.periodNanos(options.idleTimeout(), options.statsInterval());
        this.budget = new PendingBudget(options.maxPendingBytes());
        this.ends = new ConnectionEnds(stats, open, options.verbose());
        budget.onChange(() -> budgetChanged = true); // every echo moves on the loop thread
    }

    @Override
    public String describe() {
        return "mode=" + mode + ", threads=1, epoll-instances=1, registered="
                + EpollFlags.describe(EPOLLIN | EPOLLRDHUP | mode.triggerFlag())
                + ", reads-per-event=" + (mode.drainsEachEvent() ? "until EAGAIN" : "1")
                + ", accept-batch=" + AcceptBatch.describe(acceptBatch)
                + ", max-events=" + maxEvents;
    }

    @Override
    public InetSocketAddress start() throws ServerStartException {
        // The timer is read when it fires, so level-triggered is right for it in both modes.
        epoll = EpollSet.open(EPOLLIN);
        try {
            listeners.addAll(Listener.openAll(options));
            for (Listener listener : listeners) {
                epoll.add(listener.fd(), listenerFlags());
            }
        } catch (IOException e) {
            closeResources();
            throw new ServerStartException("cannot watch the listener: " + ErrorText.of(e), e);
        } catch (ServerStartException e) {
            closeResources();
            throw e;
        }
        nextStatsNanos = System.nanoTime() + statsNanos;
        armTimer = timerPeriodNanos > 0;
        loop = new Thread(this::run, "raw-epoll");
        loop.start();
        return listeners.get(0).localAddress();
    }

    private int listenerFlags() {
        return EPOLLIN | mode.triggerFlag();
    }

    // ---------------------------------------------------------------------------------------------------------
    // The loop.

    private void run() {
        EpollEventArray events = LabEpollAccess.newEventArray(maxEvents);
        try {
            while (running) {
                int ready;
                try {
                    ready = epoll.wait(events, armTimer ? timerDelayNanos() : 0);
                } catch (IOException e) {
                    log.error("epoll_wait failed; the server stops serving", e);
                    return;
                }
                armTimer = false;
                for (int i = 0; i < ready; i++) {
                    dispatchSafely(LabEpollAccess.fd(events, i), LabEpollAccess.events(events, i));
                }
                if (budgetChanged) {
                    budgetChanged = false;
                    onBudgetChanged();
                }
            }
        } finally {
            LabEpollAccess.free(events);
        }
    }

    /** The loop is the whole server: a bug in handling one event is logged and counted, never its end. */
    private void dispatchSafely(int fd, int events) {
        try {
            dispatch(fd, events);
        } catch (RuntimeException e) {
            stats.error();
            log.error("handling an event of fd {} failed; the loop goes on", fd, e);
        }
    }

    private void dispatch(int fd, int events) {
        RawConnection connection = connections.get(fd);
        if (connection != null) {
            onConnectionEvent(connection, events);
        } else if (fd == epoll.wakeFd()) {
            epoll.clearWake();
            for (Runnable task; (task = tasks.poll()) != null; ) {
                task.run();
            }
        } else if (fd == epoll.timerFd()) {
            onTimer();
        } else {
            for (Listener listener : listeners) {
                if (listener.fd() == fd) {
                    onListenerEvent(listener);
                    return;
                }
            }
        }
    }

    private void onConnectionEvent(RawConnection connection, int events) {
        boolean open;
        try {
            open = connection.onEvent(events);
        } catch (IOException e) {
            // A reset or broken pipe: the peer's doing, one line, no stack trace.
            stats.error();
            PeerFailureLog.failed(connection.name(), e.getMessage());
            close(connection, Reason.ERROR);
            return;
        } catch (RuntimeException | Error e) {
            stats.error();
            log.warn("{} failed; closing it", connection.name(), e);
            close(connection, Reason.ERROR);
            return;
        }
        if (!open) {
            close(connection, Reason.PEER);
            return;
        }
        updateRegistration(connection);
    }

    /**
     * Exhausted, each connection drops EPOLLIN at its next event, which it does not read for; available again,
     * every paused connection regains it here, since no event will come for a socket that is not watched.
     */
    private void onBudgetChanged() {
        if (!budget.exhausted()) {
            new ArrayList<>(connections.values()).forEach(this::updateRegistration);
        }
    }

    private void updateRegistration(RawConnection connection) {
        int interest = connection.interest();
        if (interest != connection.registered()) {
            try {
                epoll.modify(connection.fd, interest);
                connection.registered(interest);
            } catch (IOException e) {
                stats.error();
                log.warn("{}: epoll_ctl(MOD) failed: {}; closing it", connection.name(), ErrorText.of(e));
                close(connection, Reason.ERROR);
            }
        }
    }

    private void onListenerEvent(Listener listener) {
        for (int accepted = 0; AcceptBatch.allowsAnother(acceptBatch, accepted); accepted++) {
            int fd;
            try {
                fd = listener.accept();
            } catch (IOException e) {
                backOff(listener, e);
                return;
            }
            if (fd < 0) {
                return; // EAGAIN: the queue is empty
            }
            admit(new Socket(fd), listener.acceptedName(fd));
        }
    }

    /**
     * EMFILE and friends: the connection stays queued, so the listener stays readable and lt would be woken for
     * it at once, forever. It leaves the set's interest for a second; the timer brings it back.
     */
    private void backOff(Listener listener, IOException e) {
        stats.error();
        listener.acceptFailed(e);
        try {
            epoll.modify(listener.fd(), 0);
        } catch (IOException modifyFailed) {
            log.error("pausing the listener failed: {}", ErrorText.of(modifyFailed));
        }
        armTimer = true;
    }

    private void admit(Socket socket, String name) {
        if (!open.tryOpen(options.maxConnections())) {
            stats.refused();
            Listener.refuse(socket);
            return;
        }
        RawConnection connection;
        try {
            SocketOptions.tuneAccepted(socket, options);
            connection = new RawConnection(socket, name, mode, new ReadSizer(options.recvAllocator()),
                    new UnsentEcho(options.writeBufferLow(), options.writeBufferHigh(), budget), budget,
                    new MinProgress(options.minProgress()), allocator, stats);
            epoll.add(connection.fd, connection.registered());
        } catch (IOException | RuntimeException e) {
            // One connection's failure, whatever it is: that connection is refused, the loop keeps accepting.
            stats.error();
            log.warn("{}: setting up the accepted socket failed: {}", name, ErrorText.of(e));
            Listener.refuse(socket);
            open.closed();
            return;
        }
        stats.accepted();
        connections.put(connection.fd, connection);
        if (options.verbose()) {
            log.info("accepted {}", connection.name());
        }
    }

    private void close(RawConnection connection, Reason reason) {
        connections.remove(connection.fd);
        connection.close();
        ends.ended(connection.name(), connection.bytesIn(), connection.bytesOut(), reason);
    }

    /** The timerfd fired: close idle connections, print the stats line, bring back listeners that rested. */
    private void onTimer() {
        epoll.clearTimer();
        long now = System.nanoTime();
        if (idleNanos > 0) {
            List<RawConnection> idle = new ArrayList<>();
            for (RawConnection connection : connections.values()) {
                if (now - connection.lastActivityNanos() >= idleNanos) {
                    idle.add(connection);
                }
            }
            for (RawConnection connection : idle) {
                if (options.verbose()) {
                    log.info("{} idle for too long, closing it", connection.name());
                }
                close(connection, Reason.IDLE);
            }
        }
        if (statsNanos > 0 && now - nextStatsNanos >= 0) {
            nextStatsNanos = now + statsNanos;
            long pending = 0;
            for (RawConnection connection : connections.values()) {
                pending += connection.unsentBytes();
            }
            log.info(StatsLine.of(stats, pending, allocator, budget));
        }
        boolean backingOff = false;
        for (Listener listener : listeners) {
            if (listener.restOver(now)) {
                try {
                    epoll.modify(listener.fd(), listenerFlags());
                } catch (IOException e) {
                    log.error("re-arming the listener failed; no new connections will be accepted: {}",
                            ErrorText.of(e));
                }
            } else {
                backingOff |= listener.resting();
            }
        }
        armTimer = timerPeriodNanos > 0 || backingOff;
    }

    private long timerDelayNanos() {
        return timerPeriodNanos > 0 ? timerPeriodNanos : Listener.BACKOFF_NANOS;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Shutdown: each step runs on the loop, handed over through the eventfd.

    /**
     * Stops listening at once, lets open connections finish for up to {@code grace}, closes the rest, then ends
     * the loop.
     */
    @Override
    public void stop(Duration grace) {
        if (loop == null) {
            closeResources();
            return;
        }
        onLoop(() -> {
            listeners.forEach(Listener::close); // close(2) also takes it out of the set
            open.startDraining();
        });
        open.drain(grace, () -> onLoop(() -> new ArrayList<>(connections.values())
                .forEach(c -> close(c, Reason.SHUTDOWN))));
        running = false;
        epoll.wake();
        try {
            loop.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (loop.isAlive()) {
            log.warn("{} did not stop", loop.getName());
            return; // it may still use the fds: leave them to the process's exit
        }
        // The loop has ended: this thread owns what is left.
        new ArrayList<>(connections.values()).forEach(c -> close(c, Reason.SHUTDOWN));
        closeResources();
    }

    private void onLoop(Runnable task) {
        tasks.add(task);
        epoll.wake();
    }

    private void closeResources() {
        listeners.forEach(Listener::close);
        if (epoll != null) {
            epoll.close();
        }
    }

    @Override
    public ConnectionStats.Snapshot stats() {
        return stats.snapshot();
    }
}
