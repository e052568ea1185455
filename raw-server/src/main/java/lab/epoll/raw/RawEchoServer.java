package lab.epoll.raw;

import static lab.epoll.catalog.EpollFlags.EPOLLIN;
import static lab.epoll.catalog.EpollFlags.EPOLLRDHUP;

import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
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
import lab.epoll.common.stats.ConnectionStats;
import lab.epoll.rawepoll.Listener;
import lab.epoll.rawepoll.SweepTimer;

/**
 * The exercise's echo server: by default ONE thread, ONE epoll set ({@link RawLoop}), a table of connections by
 * fd, and the {@link Mode}'s recipe for what an event means. With {@code --threads N} it runs N such loops, each
 * with its own set and its own connections, and an {@link AcceptStrategy} says how they share the listener.
 * The system calls are Netty's JNI bindings; no Netty event loop, channel or pipeline is involved.
 */
public final class RawEchoServer implements LabServer {
    /** Events one {@code epoll_wait} may return when {@code --max-events} is 0: the exercise's 64. */
    static final int DEFAULT_MAX_EVENTS = 64;

    // Read by every loop.
    final ServerOptions options;
    final Mode mode;
    /** Accepts per listener event ({@code --accept-batch}); 0: until EAGAIN. */
    final int acceptBatch;

    final int maxEvents;
    final ByteBufAllocator allocator;
    final long statsNanos;
    final long timerPeriodNanos;
    final ConnectionStats stats = new ConnectionStats();
    final PendingBudget budget;
    final OpenConnections open = new OpenConnections();
    final ConnectionEnds ends;
    /** The unsent echo of every loop's connections, each connection adding its changes (the stats line's). */
    final LongAdder unsentTotal = new LongAdder();

    private final int threads;
    private final AcceptStrategy strategy;
    private final List<Listener> listeners = new ArrayList<>();
    /** The loops that serve connections; the acceptor's, if any, is not among them. */
    private final List<RawLoop> loops = new ArrayList<>();

    private RawLoop acceptor;

    public RawEchoServer(ServerOptions options, Mode mode) {
        this(options, mode, 1, AcceptStrategy.reuseport);
    }

    public RawEchoServer(ServerOptions options, Mode mode, int threads, AcceptStrategy strategy) {
        this.options = options;
        this.mode = mode;
        this.threads = threads;
        this.strategy = strategy;
        this.acceptBatch = options.acceptBatch(mode.acceptBatch());
        this.maxEvents = options.maxEvents() > 0 ? options.maxEvents() : DEFAULT_MAX_EVENTS;
        this.allocator = options.allocator().instance();
        this.statsNanos = options.statsInterval().toNanos();
        this.timerPeriodNanos = SweepTimer.periodNanos(options.idleTimeout(), options.statsInterval());
        this.budget = new PendingBudget(options.maxPendingBytes());
        this.ends = new ConnectionEnds(stats, open, options.verbose());
        // Every echo moves on some loop's thread; each loop re-registers its own paused connections.
        budget.onChange(() -> loops.forEach(RawLoop::budgetChanged));
    }

    @Override
    public String describe() {
        String loopsText = threads == 1 && strategy != AcceptStrategy.acceptor
                ? "threads=1, epoll-instances=1"
                : "threads=" + threads + ", accept=" + strategy + (strategy.handsOff() ? " (+1 thread)" : "")
                        + ", epoll-instances=" + (threads + (strategy.handsOff() ? 1 : 0))
                        + ", listeners=" + listenerCount() + " " + EpollFlags.describe(listenerFlags());
        return "mode=" + mode + ", " + loopsText + ", registered="
                + EpollFlags.describe(EPOLLIN | EPOLLRDHUP | mode.triggerFlag())
                + ", reads-per-event=" + (mode.drainsEachEvent() ? "until EAGAIN" : "1")
                + ", accept-batch=" + AcceptBatch.describe(acceptBatch)
                + ", max-events=" + maxEvents;
    }

    private int listenerCount() {
        return listenerPerLoop() ? threads : options.listeners();
    }

    /** A listener of its own for each loop: with one loop, {@code --listeners} stays what it always was. */
    private boolean listenerPerLoop() {
        return strategy.listenerPerLoop() && threads > 1;
    }

    /** The mode's flags, and the strategy's where several sets watch one listener (not the exercise's one). */
    private int listenerFlags() {
        boolean shared = threads > 1 && !listenerPerLoop() && !strategy.handsOff();
        return EPOLLIN | mode.triggerFlag() | (shared ? strategy.listenerFlag() : 0);
    }

    @Override
    public InetSocketAddress start() throws ServerStartException {
        try {
            // The loops' epoll sets first: opening one loads Netty's native library, which the listeners need.
            for (int i = 0; i < threads; i++) {
                loops.add(new RawLoop(this, threads == 1 ? "raw-epoll" : "raw-epoll-" + i, i == 0));
            }
            if (strategy.handsOff()) {
                acceptor = new RawLoop(this, "raw-accept", false);
            }
            listeners.addAll(Listener.openAll(options, listenerCount()));
            for (int i = 0; i < threads; i++) {
                if (listenerPerLoop()) {
                    loops.get(i).watch(List.of(listeners.get(i)), listenerFlags());
                } else if (!strategy.handsOff()) {
                    loops.get(i).watch(listeners, listenerFlags());
                }
            }
            if (acceptor != null) {
                acceptor.watch(listeners, listenerFlags());
                AtomicInteger next = new AtomicInteger();
                acceptor.admitWith((socket, name) -> {
                    RawLoop loop = loops.get(Math.floorMod(next.getAndIncrement(), loops.size()));
                    loop.onLoop(() -> loop.admit(socket, name));
                });
            }
        } catch (IOException e) {
            closeResources();
            throw new ServerStartException("cannot watch the listener: " + ErrorText.of(e), e);
        } catch (ServerStartException e) {
            closeResources();
            throw e;
        }
        loops.forEach(RawLoop::start);
        if (acceptor != null) {
            acceptor.start();
        }
        return listeners.get(0).localAddress();
    }

    /**
     * Stops listening at once ({@code shutdown(2)}: new connections are refused, and every set watching a
     * listener reports it, so each loop drops it), lets open connections finish for up to {@code grace}, closes
     * the rest, then ends the loops.
     */
    @Override
    public void stop(Duration grace) {
        listeners.forEach(Listener::requestClose);
        open.startDraining();
        open.drain(grace, () -> loops.forEach(loop -> loop.onLoop(() -> loop.closeAll(Reason.SHUTDOWN))));
        closeResources();
    }

    /** Ends the loops (and closes what they still hold), then the listeners; also after a failed start. */
    private void closeResources() {
        if (acceptor != null) {
            acceptor.stop(); // first, so that nothing is handed to a loop that has ended
        }
        loops.forEach(RawLoop::stop);
        listeners.forEach(Listener::close);
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
