package lab.epoll.oneshot.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import lab.epoll.common.pipeline.BudgetChanged;
import lab.epoll.common.pipeline.EchoWritten;
import lab.epoll.common.server.PendingBudget;
import lab.epoll.common.stats.ConnectionStats;
import lab.epoll.oneshot.InFlightMonitor;

/**
 * One connection's echo stage in the Netty engine: collects what one {@code read()} produced (one
 * {@code channelRead} per buffer, then {@code channelReadComplete}), hands that batch to a worker, and asks for
 * the next read only once the worker is done and the channel is writable.
 *
 * <p>Everything but {@link #work} runs on the connection's event loop, so the fields need no locking. The
 * worker's writes and its completion are queued to that event loop in the order the worker submits them, so the
 * completion runs after the echo is written.
 *
 * <p>Backpressure, as in common's {@code EchoHandler}: no {@code read()} while the channel is unwritable (its
 * unsent echo is above the high water mark) or the server's {@link PendingBudget} is exhausted;
 * {@code channelWritabilityChanged} and {@link BudgetChanged} re-arm it. Half-close, as there: when the peer shuts down its side, everything read so far is still echoed, then the channel closes.
 *
 * <p>Netty's emulation has one gap the stage must cover itself: on {@code EPOLLRDHUP} (and {@code EPOLLERR})
 * Netty reads whatever is left in the socket even when no {@code read()} is pending. Such a batch can arrive
 * while a worker still holds the previous one; it waits here until the worker is done, so there is still only
 * one batch in flight.
 */
final class WorkerHandoffHandler extends ChannelInboundHandlerAdapter {
    /** A test hook, called on the worker before each echo. */
    interface WorkObserver {
        WorkObserver NONE = (ctx, bytes) -> {};

        void beforeEcho(ChannelHandlerContext ctx, int bytes) throws Exception;
    }

    private final ConnectionStats stats;
    private final PendingBudget budget;
    private final EventExecutor workers;
    private final InFlightMonitor.Guard guard;
    private final WorkObserver observer;

    // Event-loop state.
    private List<ByteBuf> reading = new ArrayList<>();
    private List<ByteBuf> waiting = new ArrayList<>();
    private boolean workerBusy;
    private boolean awaitingLeave;
    private boolean inputShutdown;
    private boolean closing;

    WorkerHandoffHandler(
            ConnectionStats stats,
            PendingBudget budget,
            EventExecutor workers,
            InFlightMonitor.Guard guard,
            WorkObserver observer) {
        this.stats = stats;
        this.budget = budget;
        this.workers = workers;
        this.guard = guard;
        this.observer = observer;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.fireChannelActive();
        // AUTO_READ is off: nothing is read until we ask. This is the first "arm".
        rearm(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        reading.add((ByteBuf) msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (reading.isEmpty()) {
            // The read loop found nothing (EAGAIN); the read() we asked for is still pending in Netty.
            return;
        }
        if (workerBusy) {
            waiting.addAll(reading);
            reading.clear();
            return;
        }
        List<ByteBuf> batch = reading;
        reading = new ArrayList<>();
        handOff(ctx, batch);
    }

    private void handOff(ChannelHandlerContext ctx, List<ByteBuf> batch) {
        workerBusy = true;
        try {
            workers.execute(() -> work(ctx, batch));
        } catch (RejectedExecutionException e) {
            // The pool is shutting down, which only happens after every connection was closed.
            workerBusy = false;
            batch.forEach(ReferenceCountUtil::safeRelease);
            ctx.close();
        }
    }

    /** On a worker thread: the echo, then the completion back on the event loop, which re-arms. */
    private void work(ChannelHandlerContext ctx, List<ByteBuf> batch) {
        int written = 0;
        boolean entered = guard.enter();
        try {
            int bytes = 0;
            for (ByteBuf buf : batch) {
                bytes += buf.readableBytes();
            }
            stats.bytesIn(bytes);
            observer.beforeEcho(ctx, bytes);
            for (ByteBuf buf : batch) {
                written++;
                EchoWritten.write(ctx, buf, stats, budget);
            }
            ctx.flush();
        } catch (Throwable t) {
            for (int i = written; i < batch.size(); i++) {
                ReferenceCountUtil.safeRelease(batch.get(i));
            }
            ctx.fireExceptionCaught(t);
        } finally {
            if (entered) {
                guard.exit();
            }
            // After exit(): nothing can reach this connection's guard until done() re-arms it.
            ctx.executor().execute(() -> done(ctx));
        }
    }

    /** Back on the event loop: the worker has finished its batch. */
    private void done(ChannelHandlerContext ctx) {
        workerBusy = false;
        if (!waiting.isEmpty()) {
            List<ByteBuf> batch = waiting;
            waiting = new ArrayList<>();
            handOff(ctx, batch);
            return;
        }
        if (inputShutdown) {
            closeAfterEcho(ctx);
        } else if (ctx.channel().isActive()) {
            rearm(ctx);
        }
    }

    private void rearm(ChannelHandlerContext ctx) {
        if (mayRead(ctx)) {
            // epoll_ctl(EPOLL_CTL_MOD, fd, EPOLLIN | ...): the explicit re-arm EPOLLONESHOT would do for us.
            ctx.read();
        } else {
            awaitingLeave = true;
        }
    }

    /** Its own echo below the water mark, and the server's below its budget. */
    private boolean mayRead(ChannelHandlerContext ctx) {
        return ctx.channel().isWritable() && !budget.exhausted();
    }

    /** Writability or the budget changed: a connection that waited for leave to read asks now, if it has it. */
    private void maybeResume(ChannelHandlerContext ctx) {
        if (awaitingLeave && mayRead(ctx)) {
            awaitingLeave = false;
            if (!workerBusy && !inputShutdown) {
                ctx.read();
            }
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        maybeResume(ctx);
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == BudgetChanged.INSTANCE) {
            maybeResume(ctx);
            return;
        }
        if (evt instanceof ChannelInputShutdownEvent) {
            inputShutdown = true;
            if (!workerBusy) {
                closeAfterEcho(ctx);
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void closeAfterEcho(ChannelHandlerContext ctx) {
        if (!closing) {
            closing = true;
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseQueued();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseQueued();
    }

    private void releaseQueued() {
        reading.forEach(ReferenceCountUtil::safeRelease);
        reading.clear();
        waiting.forEach(ReferenceCountUtil::safeRelease);
        waiting.clear();
    }
}
