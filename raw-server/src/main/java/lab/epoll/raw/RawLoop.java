package lab.epoll.raw;

import static lab.epoll.catalog.EpollFlags.EPOLLIN;

import io.netty.channel.epoll.EpollEventArray;
import io.netty.channel.epoll.LabEpollAccess;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import lab.epoll.common.server.AcceptBatch;
import lab.epoll.common.server.ConnectionEnds.Reason;
import lab.epoll.common.server.ErrorText;
import lab.epoll.common.server.MinProgress;
import lab.epoll.common.server.PeerFailureLog;
import lab.epoll.common.server.ServerStartException;
import lab.epoll.common.server.StatsLine;
import lab.epoll.rawepoll.Admission;
import lab.epoll.rawepoll.ConnectionTable;
import lab.epoll.rawepoll.EpollSet;
import lab.epoll.rawepoll.Listener;
import lab.epoll.rawepoll.ReadSizer;
import lab.epoll.rawepoll.UnsentEcho;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread, one epoll set, the connections it accepted or was handed (a table by fd), and the {@link Mode}'s
 * recipe for what an event means. In the set beside the clients:
 * <ul>
 *   <li>the listening sockets its {@link AcceptStrategy} gives it, with the mode's trigger: {@code lt} accepts
 *       one connection per event, {@code et} until {@code EAGAIN}; {@code --accept-batch} lets lt take more;</li>
 *   <li>a timerfd, the idle sweep the exercise's bonus asks for: every quarter of {@code --idle-timeout} the
 *       loop closes its connections that moved no byte for longer;</li>
 *   <li>an eventfd through which other threads hand the loop work (a connection to serve, shutdown's steps):
 *       the loop alone touches its sockets, so nothing here needs a lock.</li>
 * </ul>
 */
final class RawLoop implements Admission.Engine<RawConnection> {
    private static final Logger log = LoggerFactory.getLogger(RawLoop.class);

    /** Where a connection this loop accepted goes: its own table, or another loop (the acceptor's hand-off). */
    interface Destination {
        void admit(Socket socket, String name);
    }

    private final RawEchoServer server;
    private final String name;
    private final EpollSet epoll;
    private final boolean printsStats;
    private Destination destination = this::admit;

    // Loop thread only.
    private final ConnectionTable<RawConnection> connections;
    private final Admission<RawConnection> admission;
    /** The listeners this loop watches, by fd; those resting after a failed accept are out of the set meanwhile. */
    private final Map<Integer, Listener> listeners = new LinkedHashMap<>();
    /** The listeners this loop took out of its set after a failed accept, until their rest ends. */
    private final Set<Listener> resting = new HashSet<>();

    private int listenerFlags;
    private boolean armTimer;
    private long nextStatsNanos;

    // Shared with other threads.
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private volatile boolean budgetChanged;
    private volatile boolean running = true;
    private Thread thread;

    RawLoop(RawEchoServer server, String name, boolean printsStats) throws ServerStartException {
        this.server = server;
        this.name = name;
        this.printsStats = printsStats;
        // The timer is read when it fires, so level-triggered is right for it in both modes.
        this.epoll = EpollSet.open(EPOLLIN);
        this.connections = ConnectionTable.confined(server.options, server.ends);
        this.admission = new Admission<>(server.options, server.stats, server.open, server.ends, connections, this);
    }

    /** Before {@link #start()}: watch these listeners with these flags. */
    void watch(List<Listener> watched, int flags) throws IOException {
        listenerFlags = flags;
        for (Listener listener : watched) {
            epoll.add(listener.fd(), flags);
            listeners.put(listener.fd(), listener);
        }
    }

    /** Before {@link #start()}: send what this loop accepts elsewhere. */
    void admitWith(Destination destination) {
        this.destination = destination;
    }

    void start() {
        nextStatsNanos = System.nanoTime() + server.statsNanos;
        armTimer = server.timerPeriodNanos > 0;
        thread = new Thread(this::run, name);
        thread.start();
    }

    // ---------------------------------------------------------------------------------------------------------
    // The loop.

    private void run() {
        EpollEventArray events = LabEpollAccess.newEventArray(server.maxEvents);
        try {
            while (running) {
                int ready;
                try {
                    ready = epoll.wait(events, armTimer ? timerDelayNanos() : 0);
                } catch (IOException e) {
                    log.error("epoll_wait failed; {} stops serving", name, e);
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
            server.stats.error();
            log.error("handling an event of fd {} failed; the loop goes on", fd, e);
        }
    }

    private void dispatch(int fd, int events) {
        RawConnection connection = connections.get(fd);
        if (connection != null) {
            onConnectionEvent(connection, events);
        } else if (fd == epoll.wakeFd()) {
            epoll.clearWake();
            runTasks();
        } else if (fd == epoll.timerFd()) {
            onTimer();
        } else {
            Listener listener = listeners.get(fd);
            if (listener != null) {
                onListenerEvent(listener);
            }
        }
    }

    private void runTasks() {
        for (Runnable task; (task = tasks.poll()) != null; ) {
            task.run();
        }
    }

    private void onConnectionEvent(RawConnection connection, int events) {
        boolean open;
        try {
            open = connection.onEvent(events);
            connection.countUnsent();
        } catch (IOException e) {
            // A reset or broken pipe: the peer's doing, one line, no stack trace.
            server.stats.error();
            PeerFailureLog.failed(connection.name(), e.getMessage());
            close(connection, Reason.ERROR);
            return;
        } catch (RuntimeException | Error e) {
            server.stats.error();
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

    /** Any thread: the server's budget of unsent echo changed; this loop re-registers its connections. */
    void budgetChanged() {
        budgetChanged = true;
        if (Thread.currentThread() != thread) {
            epoll.wake();
        }
    }

    /**
     * Exhausted, each connection drops EPOLLIN at its next event, which it does not read for; available again,
     * every paused connection regains it here, since no event will come for a socket that is not watched.
     */
    private void onBudgetChanged() {
        if (!server.budget.exhausted()) {
            new ArrayList<>(connections.all()).forEach(this::updateRegistration);
        }
    }

    private void updateRegistration(RawConnection connection) {
        int interest = connection.interest();
        if (interest != connection.registered()) {
            try {
                epoll.modify(connection.fd(), interest);
                connection.registered(interest);
            } catch (IOException e) {
                server.stats.error();
                log.warn("{}: epoll_ctl(MOD) failed: {}; closing it", connection.name(), ErrorText.of(e));
                close(connection, Reason.ERROR);
            }
        }
    }

    private void onListenerEvent(Listener listener) {
        if (listener.closeRequested()) {
            // Shut down by stop(): it reports EPOLLHUP from now on; the last loop to leave closes it.
            unwatch(listener);
            return;
        }
        for (int accepted = 0; AcceptBatch.allowsAnother(server.acceptBatch, accepted); accepted++) {
            int fd;
            try {
                fd = listener.accept();
            } catch (IOException e) {
                if (listener.closeRequested()) {
                    unwatch(listener);
                } else {
                    backOff(listener, e);
                }
                return;
            }
            if (fd < 0) {
                return; // EAGAIN: the queue is empty (or another loop emptied it)
            }
            destination.admit(new Socket(fd), listener.acceptedName(fd));
        }
    }

    private void unwatch(Listener listener) {
        listeners.remove(listener.fd());
        try {
            epoll.remove(listener.fd());
        } catch (IOException ignored) {
            // Already gone from the set.
        }
    }

    /**
     * EMFILE and friends: the connection stays queued, so the listener stays readable and lt would be woken for
     * it at once, forever. It leaves this set for a second; the timer brings it back. (Out and back in rather
     * than a change of its flags: a registration with {@code EPOLLEXCLUSIVE} cannot be modified.)
     */
    private void backOff(Listener listener, IOException e) {
        server.stats.error();
        listener.acceptFailed(e); // logs once per rest, whichever loop failed first
        try {
            epoll.remove(listener.fd());
        } catch (IOException removeFailed) {
            log.error("pausing the listener failed: {}", ErrorText.of(removeFailed));
        }
        resting.add(listener);
        armTimer = true;
    }

    /** This loop's thread (or, after the loop ended, the thread that stopped it): serve this connection. */
    void admit(Socket socket, String name) {
        admission.admit(socket, name);
    }

    @Override
    public RawConnection newConnection(Socket socket, String name) {
        return new RawConnection(
                socket,
                name,
                server.mode,
                new ReadSizer(server.options.recvAllocator()),
                new UnsentEcho(server.options.writeBufferLow(), server.options.writeBufferHigh(), server.budget),
                server.budget,
                new MinProgress(server.options.minProgress()),
                server.allocator,
                server.stats,
                server.unsentTotal);
    }

    /** With the mode's trigger flag: the loop alone waits on this set, so nothing needs {@code EPOLLONESHOT}. */
    @Override
    public void register(RawConnection connection) throws IOException {
        epoll.add(connection.fd(), connection.registered());
    }

    @Override
    public void close(RawConnection connection, Reason reason) {
        connection.close();
        connection.countUnsent();
        connections.ended(connection, reason);
    }

    /** The timerfd fired: close idle connections, print the stats line, bring back listeners that rested. */
    private void onTimer() {
        epoll.clearTimer();
        long now = System.nanoTime();
        connections.sweepIdle(now, connection -> close(connection, Reason.IDLE));
        if (printsStats && server.statsNanos > 0 && now - nextStatsNanos >= 0) {
            nextStatsNanos = now + server.statsNanos;
            log.info(StatsLine.of(server.stats, server.unsentTotal.sum(), server.allocator, server.budget));
        }
        resting.removeIf(listener -> {
            if (now - listener.restEndsNanos() < 0) {
                return false;
            }
            if (!listener.closeRequested()) {
                try {
                    epoll.add(listener.fd(), listenerFlags);
                } catch (IOException e) {
                    log.error(
                            "re-arming the listener failed; no new connections will be accepted here: {}",
                            ErrorText.of(e));
                }
            }
            return true;
        });
        armTimer = server.timerPeriodNanos > 0 || !resting.isEmpty();
    }

    private long timerDelayNanos() {
        return server.timerPeriodNanos > 0 ? server.timerPeriodNanos : Listener.BACKOFF_NANOS;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Other threads.

    /** Any thread: runs the task on this loop, woken through the eventfd. */
    void onLoop(Runnable task) {
        tasks.add(task);
        epoll.wake();
    }

    /** On the loop: closes every connection (the end of a graceful drain). */
    void closeAll(Reason reason) {
        new ArrayList<>(connections.all()).forEach(c -> close(c, reason));
    }

    /**
     * Ends the loop and waits for it; then, on the caller's thread, serves what was still handed to it (a
     * connection queued by the acceptor is refused now, since the server is draining) and closes the rest.
     */
    void stop() {
        running = false;
        epoll.wake();
        if (thread != null) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                log.warn("{} did not stop", thread.getName());
                return; // it may still use the fds: leave them to the process's exit
            }
        }
        // The loop has ended: this thread owns what is left.
        runTasks();
        closeAll(Reason.SHUTDOWN);
        epoll.close();
    }
}
