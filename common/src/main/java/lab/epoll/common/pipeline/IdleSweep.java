package lab.epoll.common.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import lab.epoll.common.server.MinProgress;
import lab.epoll.common.stats.ConnectionStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The idle timeout as the exercise builds it: each connection notes the time once per batch of reads, and one
 * periodic task per event loop sweeps that loop's connections and closes the ones that were idle for the
 * timeout. A connection whose unsent echo changed between two sweeps was writing, so it counts as active too;
 * one whose peer stopped reading stays idle, however much echo it holds. Under {@code --min-progress} either
 * counts only once the connection has moved that many bytes ({@link MinProgress}).
 *
 * <p>Netty's {@code IdleStateHandler} does the same job with a timer per connection, a clock read per read batch
 * and a listener on every write; this costs one clock read per read batch and nothing per write.
 *
 * <p>The sweeps are not scheduled tasks on the event loops: one daemon thread hands each loop its sweep as a
 * plain task, waking it through its eventfd once a period. Any scheduled task makes Netty 4.1's epoll loop wait
 * with a deadline on every sleep ({@code epoll_pwait2} with a timeout, where it otherwise calls
 * {@code epoll_wait} without one), which cost et about 5% of its CPU per echo at 1,000 connections.
 */
public final class IdleSweep {
    private static final Logger log = LoggerFactory.getLogger(IdleSweep.class);
    private static final long MIN_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long MAX_PERIOD_NANOS = TimeUnit.SECONDS.toNanos(1);

    /**
     * Starts each loop's sweep on time, off the loops: one thread for every sweep in the process (a JVM running
     * several servers, as the tests do, needs no more); daemon, so it never keeps a stopping server alive.
     */
    private static final ScheduledExecutorService CLOCK = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "idle-sweep");
        thread.setDaemon(true);
        return thread;
    });

    private final long timeoutNanos;
    private final int minProgress;
    private final long periodNanos;
    private final ConnectionStats stats;
    private final boolean verbose;
    private final Map<EventLoop, LoopSweep> loops = new ConcurrentHashMap<>();

    /** {@code minProgress}: the bytes a connection must move to count as active ({@code --min-progress}). */
    public IdleSweep(Duration timeout, int minProgress, ConnectionStats stats, boolean verbose) {
        this.timeoutNanos = timeout.toNanos();
        this.minProgress = minProgress;
        this.periodNanos = periodNanos(timeout);
        this.stats = stats;
        this.verbose = verbose;
    }

    /**
     * How often a sweep runs: a quarter of the timeout, so a connection closes at most that much late, but every
     * 10 ms at most and every second at least.
     */
    public static long periodNanos(Duration timeout) {
        return Math.max(MIN_PERIOD_NANOS, Math.min(MAX_PERIOD_NANOS, timeout.toNanos() / 4));
    }

    /** The handler that stamps one connection; a new one per connection, in front of the echo stage. */
    public ChannelHandler newStamp() {
        // Only a minimum makes each read worth looking at: without one the stamp stays off the per-read path.
        return minProgress == 0 ? new Stamp() : new CountingStamp();
    }

    /** One connection's last activity. Touched only on its event loop's thread, as is its loop's sweep. */
    private class Stamp extends ChannelInboundHandlerAdapter {
        private ChannelHandlerContext ctx;
        private LoopSweep sweep;
        private long lastActiveNanos;
        private long pendingAtLastSweep;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            this.ctx = ctx;
            lastActiveNanos = System.nanoTime();
            sweep = loops.computeIfAbsent(ctx.channel().eventLoop(), LoopSweep::new);
            sweep.connections.add(this);
            ctx.fireChannelActive();
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (readsMadeProgress()) {
                lastActiveNanos = System.nanoTime();
            }
            ctx.fireChannelReadComplete();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (sweep != null) {
                sweep.connections.remove(this);
            }
            ctx.fireChannelInactive();
        }

        boolean idleAt(long now) {
            long pending = pendingBytes(ctx.channel());
            if (pending != pendingAtLastSweep) {
                long moved = Math.abs(pending - pendingAtLastSweep);
                pendingAtLastSweep = pending;
                if (writesMadeProgress(moved)) {
                    lastActiveNanos = now;
                }
            }
            return now - lastActiveNanos >= timeoutNanos;
        }

        /** Whether the batch of reads just finished counts as activity: any batch does, without a minimum. */
        boolean readsMadeProgress() {
            return true;
        }

        /** Whether a change of {@code moved} bytes in the unsent echo counts as activity. */
        boolean writesMadeProgress(long moved) {
            return true;
        }

        void closeIdle() {
            sweep.connections.remove(this); // counted once, even if the close completes after the next sweep
            stats.closedIdle();
            if (verbose) {
                log.info("{} idle for too long, closing it", ConnectionNames.of(ctx.channel()));
            }
            ctx.close();
        }
    }

    /** A stamp under {@code --min-progress}: counts the bytes of each read, and of each change in unsent echo. */
    private final class CountingStamp extends Stamp {
        private final MinProgress progress = new MinProgress(minProgress);
        private long readInBatch;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf) {
                readInBatch += ((ByteBuf) msg).readableBytes();
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        boolean readsMadeProgress() {
            long bytes = readInBatch;
            readInBatch = 0;
            return progress.moved(bytes);
        }

        @Override
        boolean writesMadeProgress(long moved) {
            return progress.moved(moved);
        }
    }

    private static long pendingBytes(Channel channel) {
        ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    /** One event loop's connections and the sweep the clock hands it every period. */
    private final class LoopSweep implements Runnable {
        final Set<Stamp> connections = new HashSet<>();
        private volatile ScheduledFuture<?> ticks;

        LoopSweep(EventLoop loop) {
            ticks = CLOCK.scheduleAtFixedRate(() -> handTo(loop), periodNanos, periodNanos, TimeUnit.NANOSECONDS);
        }

        private void handTo(EventLoop loop) {
            try {
                loop.execute(this);
            } catch (RejectedExecutionException stopped) {
                ScheduledFuture<?> mine = ticks;
                if (mine != null) {
                    mine.cancel(false); // the loop has shut down, and its connections with it
                }
            }
        }

        @Override
        public void run() {
            long now = System.nanoTime();
            List<Stamp> idle = new ArrayList<>();
            for (Stamp connection : connections) {
                if (connection.idleAt(now)) {
                    idle.add(connection);
                }
            }
            // Closed after the scan: closing removes a connection from the set being walked.
            idle.forEach(Stamp::closeIdle);
        }
    }
}
