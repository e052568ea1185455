package lab.epoll.oneshot.kernel;

import static lab.epoll.catalog.EpollFlags.EPOLLIN;
import static lab.epoll.catalog.EpollFlags.EPOLLONESHOT;
import static lab.epoll.catalog.EpollFlags.EPOLLRDHUP;

import io.netty.channel.epoll.EpollEventArray;
import io.netty.channel.epoll.LabEpollAccess;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import lab.epoll.catalog.EpollFlags;
import lab.epoll.common.cli.ServerOptions;
import lab.epoll.common.server.AcceptBatch;
import lab.epoll.common.server.ConnectionEnds;
import lab.epoll.common.server.ConnectionEnds.Reason;
import lab.epoll.common.server.ErrorText;
import lab.epoll.common.server.LabServer;
import lab.epoll.common.server.OpenConnections;
import lab.epoll.common.server.PendingBudget;
import lab.epoll.common.server.ServerStartException;
import lab.epoll.common.server.StatsLine;
import lab.epoll.common.stats.ConnectionStats;
import lab.epoll.oneshot.InFlightMonitor;
import lab.epoll.rawepoll.Admission;
import lab.epoll.rawepoll.ConnectionTable;
import lab.epoll.rawepoll.EpollSet;
import lab.epoll.rawepoll.Listener;
import lab.epoll.rawepoll.ReadSizer;
import lab.epoll.rawepoll.SweepTimer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel's own {@code EPOLLONESHOT}: {@code --workers} threads block in {@code epoll_wait} on ONE shared epoll
 * instance. Every client socket is registered with {@code EPOLLIN | EPOLLRDHUP | EPOLLONESHOT}: when the kernel
 * hands its event to one thread it disarms the registration in the same step, so no other thread can get that
 * socket until the first re-arms it with {@code EPOLL_CTL_MOD}. Any free thread takes the next event; no
 * connection is ever handled by two threads at once.
 *
 * <p>Compare Netty: each {@code EpollEventLoop} owns its own epoll instance and thread, and a connection is
 * pinned to one of them for life, so the question ONESHOT answers (who may handle this socket now?) never comes
 * up. Here it is the whole point: one epoll set, many waiters, and ONESHOT as the lock.
 *
 * <p>Also in the set, beside the client sockets:
 * <ul>
 *   <li>the listening socket(s), {@code EPOLLIN | EPOLLONESHOT}: one thread accepts until {@code EAGAIN}, then
 *       re-arms. When {@code accept} fails (EMFILE: out of fds) the listener is left disarmed for a second and
 *       the timer re-arms it: re-arming at once would spin, since a listener with a non-empty accept queue
 *       stays readable whether or not {@code accept} can succeed;</li>
 *   <li>a timerfd, {@code EPOLLIN | EPOLLONESHOT}: the idle sweep. Each connection records when it last moved a
 *       byte; every quarter of {@code --idle-timeout} (10 ms to 1 s) one thread reads the timerfd, asks every
 *       connection idle for longer to close, re-arms listeners whose accept backoff is over, and re-arms the
 *       timer;</li>
 *   <li>an eventfd, {@code EPOLLIN} level-triggered and never read: written once at shutdown, it wakes every
 *       waiting thread at once.</li>
 * </ul>
 *
 * <p>Only the thread that holds an fd's event ever closes it. With one shared set this matters: if another
 * thread closed a socket, the kernel could give its number to a new connection while some thread still held an
 * event for the old one. The sweep and {@code stop} therefore only ask ({@code shutdown(2)}, which raises
 * {@code EPOLLHUP}); the owner closes.
 *
 * <p>The system calls are Netty's JNI bindings (netty-transport-native-epoll); the few of them that Netty keeps
 * package-private are reached through {@link LabEpollAccess} alone.
 */
public final class KernelOneshotServer implements LabServer, Connection.Host {
    private static final Logger log = LoggerFactory.getLogger(KernelOneshotServer.class);

    /** Events one {@code epoll_wait} may return when {@code --max-events} is 0 (see {@link #describe()}). */
    static final int DEFAULT_MAX_EVENTS = 4;

    private final ServerOptions options;
    /** Accepts per listener event ({@code --accept-batch}); 0, the default: until EAGAIN. */
    private final int acceptBatch;

    private final int workers;
    private final boolean oneshot;
    private final int maxEvents;
    private final ConnectionStats stats = new ConnectionStats();
    private final PendingBudget budget;
    private final InFlightMonitor monitor = new InFlightMonitor();
    private final Connection.Settings settings;
    private final long statsNanos;
    private final long timerPeriodNanos;

    private final OpenConnections open = new OpenConnections();
    private final ConnectionEnds ends;
    private final ConnectionTable<Connection> connections;
    private final Admission<Connection> admission;
    private final AtomicBoolean armTimer = new AtomicBoolean();
    private volatile boolean stopping;

    /** Each listener and the guard that proves one thread at a time accepts from it. */
    private final Map<Listener, InFlightMonitor.Guard> listeners = new LinkedHashMap<>();

    private final List<Thread> threads = new ArrayList<>();
    private EpollSet epoll;
    private final InFlightMonitor.Guard timerGuard = monitor.newGuard();
    private long nextStatsNanos;

    public KernelOneshotServer(ServerOptions options, int workers) {
        this(options, workers, true);
    }

    /**
     * {@code oneshot = false} registers client sockets without {@code EPOLLONESHOT}, for the test that proves the
     * in-flight guard can catch two threads on one connection. Never for real use.
     */
    KernelOneshotServer(ServerOptions options, int workers, boolean oneshot) {
        this.options = options;
        this.workers = workers;
        this.oneshot = oneshot;
        this.maxEvents = options.maxEvents() > 0 ? options.maxEvents() : DEFAULT_MAX_EVENTS;
        this.acceptBatch = options.acceptBatch(0);
        this.settings = new Connection.Settings(
                options.allocator().instance(),
                options.writeBufferLow(),
                options.writeBufferHigh(),
                options.maxMessagesPerRead(),
                options.minProgress(),
                options.verbose());
        this.statsNanos = options.statsInterval().toNanos();
        this.timerPeriodNanos = SweepTimer.periodNanos(options.idleTimeout(), options.statsInterval());
        this.budget = new PendingBudget(options.maxPendingBytes());
        this.ends = new ConnectionEnds(stats, open, options.verbose());
        this.connections = ConnectionTable.shared(options, ends);
        this.admission = new Admission<>(options, stats, open, ends, connections, new Clients());
        budget.onChange(() -> {
            if (!budget.exhausted()) {
                connections.all().forEach(this::unpark);
            }
        });
    }

    @Override
    public String describe() {
        return "engine=kernel, workers=" + workers + ", epoll-instances=1, registered="
                + EpollFlags.describe(clientFlags()) + ", max-events=" + maxEvents + ", accept-batch="
                + AcceptBatch.describe(acceptBatch);
    }

    /** What a client socket is registered with, and re-armed with while it can read. */
    private int clientFlags() {
        int read = EPOLLIN | EPOLLRDHUP;
        return oneshot ? read | EPOLLONESHOT : read;
    }

    @Override
    public InetSocketAddress start() throws ServerStartException {
        epoll = EpollSet.open(EPOLLIN | EPOLLONESHOT);
        try {
            for (Listener listener : Listener.openAll(options)) {
                listeners.put(listener, monitor.newGuard());
                epoll.add(listener.fd(), EPOLLIN | EPOLLONESHOT);
            }
        } catch (IOException e) {
            closeResources();
            throw new ServerStartException("cannot watch the listener: " + ErrorText.of(e), e);
        } catch (ServerStartException e) {
            closeResources();
            throw e;
        }
        nextStatsNanos = System.nanoTime() + statsNanos;
        armTimer.set(timerPeriodNanos > 0);
        for (int i = 0; i < workers; i++) {
            Thread thread = new Thread(this::runWorker, "oneshot-epoll-" + (i + 1));
            threads.add(thread);
            thread.start();
        }
        return listeners.keySet().iterator().next().localAddress();
    }

    // ---------------------------------------------------------------------------------------------------------
    // The workers.

    private void runWorker() {
        EpollEventArray events = LabEpollAccess.newEventArray(maxEvents);
        try {
            while (!stopping) {
                int ready;
                try {
                    // Whoever waits next after the sweep arms the timer for the next one (timerfd_settime).
                    ready = epoll.wait(events, armTimer.getAndSet(false) ? timerDelayNanos() : 0);
                } catch (IOException e) {
                    log.error("epoll_wait failed; this worker stops", e);
                    return;
                }
                for (int i = 0; i < ready; i++) {
                    dispatchSafely(LabEpollAccess.fd(events, i), LabEpollAccess.events(events, i));
                }
            }
        } finally {
            LabEpollAccess.free(events);
        }
    }

    /** A bug in handling one event is logged and counted; the worker never dies of it. */
    private void dispatchSafely(int fd, int events) {
        try {
            dispatch(fd, events);
        } catch (RuntimeException e) {
            stats.error();
            log.error("handling an event of fd {} failed; the worker goes on", fd, e);
        }
    }

    private void dispatch(int fd, int events) {
        if (fd == epoll.wakeFd()) {
            return; // stop() set stopping before writing it; the loop ends after this batch
        }
        if (fd == epoll.timerFd()) {
            onTimer();
            return;
        }
        Connection connection = connections.get(fd);
        if (connection != null) {
            onConnectionEvent(connection, events);
            return;
        }
        for (Map.Entry<Listener, InFlightMonitor.Guard> listener : listeners.entrySet()) {
            if (listener.getKey().fd() == fd) {
                onListenerEvent(listener.getKey(), listener.getValue());
                return;
            }
        }
        // Without ONESHOT (the guard test only), a second thread can see an fd its owner has closed meanwhile.
    }

    private void onConnectionEvent(Connection connection, int events) {
        if (!connection.guard.enter()) {
            return; // another thread holds it: counted as a violation; the holder re-arms
        }
        int interest;
        try {
            interest = connection.onEvent(events);
        } finally {
            connection.guard.exit();
        }
        // After exit(): the kernel reports the socket to nobody until this MOD, so nobody can enter meanwhile.
        if (interest == EPOLLONESHOT) {
            // Only the budget holds it back. Parked after the guard's exit, so the thread that unparks it (at
            // once, if the budget came back meanwhile) is the next and only one to touch it.
            park(connection);
        } else if (interest != Connection.CLOSED) {
            rearm(connection, interest);
        }
    }

    private void park(Connection connection) {
        connection.park();
        if (!budget.exhausted()) {
            unpark(connection);
        }
    }

    /**
     * Re-arms a parked connection, if it is parked and this thread is the one that takes it. The budget may have
     * run out again since it came back: a connection that still waits for nothing but the budget (and has no
     * close to hear) is parked again, since one armed for nothing would never be reported, nor unparked.
     */
    private void unpark(Connection connection) {
        if (connection.unpark()) {
            int interest = connection.interest();
            if (interest == EPOLLONESHOT && !connection.closeRequested()) {
                park(connection);
            } else {
                rearm(connection, interest);
            }
        }
    }

    private void rearm(Connection connection, int interest) {
        try {
            epoll.modify(connection.fd(), oneshot ? interest : interest & ~EPOLLONESHOT);
        } catch (IOException e) {
            // Not armed, so no other thread can get it: this thread may still close it.
            stats.error();
            log.warn("{}: re-arming failed: {}; closing it", connection.name(), e.getMessage());
            if (connection.guard.enter()) {
                try {
                    connection.close(Reason.ERROR);
                } finally {
                    connection.guard.exit();
                }
            }
        }
    }

    private void onListenerEvent(Listener listener, InFlightMonitor.Guard guard) {
        if (!guard.enter()) {
            return;
        }
        boolean rearm = false;
        boolean backOff = false;
        try {
            if (!listener.closeRequested()) {
                backOff = !acceptAll(listener);
            }
            if (listener.closeRequested()) {
                listener.close();
            } else if (!backOff) {
                rearm = true;
            }
            // A listener backing off is left disarmed: the timer re-arms it. acceptFailed() set its rest before
            // exit(), so the timer thread sees it.
        } finally {
            guard.exit();
        }
        if (rearm) {
            rearmListener(listener);
        } else if (backOff && timerPeriodNanos == 0) {
            armTimer.set(true); // no periodic sweep to piggyback on: one timer expiry just for the backoff
        }
    }

    private void rearmListener(Listener listener) {
        try {
            epoll.modify(listener.fd(), EPOLLIN | EPOLLONESHOT);
        } catch (IOException e) {
            log.error("re-arming the listener failed; no new connections will be accepted", e);
        }
    }

    /**
     * Accepts until {@code EAGAIN}, or {@code --accept-batch} connections (true): the listener is armed again
     * after, and being level-triggered it is reported again at once if its queue still holds connections. False
     * when {@code accept} failed, e.g. with EMFILE: the connection stays queued, and the listener rests for a
     * second.
     */
    private boolean acceptAll(Listener listener) {
        for (int accepted = 0; AcceptBatch.allowsAnother(acceptBatch, accepted); accepted++) {
            int fd;
            try {
                fd = listener.accept();
            } catch (IOException e) {
                if (!listener.closeRequested()) {
                    stats.error();
                    listener.acceptFailed(e);
                }
                return false;
            }
            if (fd < 0) {
                return true;
            }
            admission.admit(new Socket(fd), listener.acceptedName(fd));
        }
        return true;
    }

    /** How a client socket of this engine is served, enters the shared set (armed once), and is closed. */
    private final class Clients implements Admission.Engine<Connection> {
        @Override
        public Connection newConnection(Socket socket, String name) {
            return new Connection(
                    socket,
                    name,
                    monitor.newGuard(),
                    new ReadSizer(options.recvAllocator()),
                    settings,
                    budget,
                    stats,
                    KernelOneshotServer.this);
        }

        @Override
        public void register(Connection connection) throws IOException {
            epoll.add(connection.fd(), clientFlags());
        }

        /** Not armed yet, so no worker holds it. */
        @Override
        public void close(Connection connection, Reason reason) {
            connection.close(reason);
        }
    }

    @Override
    public void closed(Connection connection, Reason reason) {
        connections.ended(connection, reason);
    }

    /** The timerfd fired: one thread (ONESHOT) sweeps for idle connections, logs stats, re-arms the timer. */
    private void onTimer() {
        if (!timerGuard.enter()) {
            return;
        }
        boolean backingOff = false;
        try {
            epoll.clearTimer();
            long now = System.nanoTime();
            connections.sweepIdle(now, connection -> {
                connection.requestClose(Reason.IDLE);
                unpark(connection); // a parked one hears EPOLLHUP only once re-armed
            });
            if (statsNanos > 0 && now - nextStatsNanos >= 0) {
                nextStatsNanos = now + statsNanos;
                logStats();
            }
            for (Listener listener : listeners.keySet()) {
                if (listener.restOver(now)) {
                    // Disarmed since its failed accept, so no thread holds an event for it: safe to re-arm here.
                    rearmListener(listener);
                } else {
                    backingOff |= listener.resting();
                }
            }
        } finally {
            timerGuard.exit();
        }
        try {
            epoll.modify(epoll.timerFd(), EPOLLIN | EPOLLONESHOT);
            if (timerPeriodNanos > 0 || backingOff) {
                armTimer.set(true);
            }
        } catch (IOException e) {
            log.error("re-arming the timer failed; idle connections will not be closed", e);
        }
    }

    /** The periodic sweep's period, or, without one, the accept backoff that asked for a timer. */
    private long timerDelayNanos() {
        return timerPeriodNanos > 0 ? timerPeriodNanos : Listener.BACKOFF_NANOS;
    }

    private void logStats() {
        long pending = 0;
        for (Connection connection : connections.all()) {
            pending += connection.unsentBytes();
        }
        log.info(StatsLine.of(stats, pending, settings.allocator(), budget));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Shutdown.

    /**
     * Refuses new connections at once (each listener is shut down, so the kernel stops completing handshakes),
     * lets open connections finish for up to {@code grace}, asks the rest to close, then stops the workers.
     */
    @Override
    public void stop(Duration grace) {
        if (threads.isEmpty()) {
            closeResources();
            return;
        }
        listeners.keySet().forEach(Listener::requestClose);
        open.startDraining();
        open.drain(
                grace,
                () -> connections.all().forEach(connection -> {
                    connection.requestClose(Reason.SHUTDOWN);
                    unpark(connection);
                }));
        stopWorkers();
        for (Connection connection : connections.all()) {
            connection.close(Reason.SHUTDOWN); // no worker runs: this thread owns them all now
        }
        closeResources();
        if (monitor.events() > 0 || monitor.violations() > 0) {
            log.info("{}", monitor.summary());
        }
    }

    private void stopWorkers() {
        stopping = true;
        epoll.wake();
        for (Thread thread : threads) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (thread.isAlive()) {
                log.warn("{} did not stop", thread.getName());
            }
        }
    }

    private void closeResources() {
        listeners.keySet().forEach(Listener::close);
        if (epoll != null) {
            epoll.close();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // What tests and the summary read.

    @Override
    public ConnectionStats.Snapshot stats() {
        return stats.snapshot();
    }

    @Override
    public PendingBudget budget() {
        return budget;
    }

    /** Events handled and violations of one-thread-per-connection. */
    public InFlightMonitor inFlight() {
        return monitor;
    }
}
