package lab.epoll.common.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import lab.epoll.common.server.PendingBudget;
import lab.epoll.common.stats.ConnectionStats;

/**
 * One echo write, from queueing to its end: the echo counts against the {@link PendingBudget} while it waits;
 * once the kernel has taken all of it, its length goes to bytes-out (so the counter means bytes sent, not
 * queued); sent or failed (the connection closed with it unsent), it leaves the budget. Every echo stage (the
 * event-loop one and the ONESHOT worker one) writes through this.
 */
public final class EchoWritten implements ChannelFutureListener {
    private final ConnectionStats stats;
    private final PendingBudget budget;
    private final int length;

    private EchoWritten(ConnectionStats stats, PendingBudget budget, int length) {
        this.stats = stats;
        this.budget = budget;
        this.length = length;
    }

    /** Queues {@code data} as echo on {@code ctx}; the caller flushes. */
    public static void write(ChannelHandlerContext ctx, ByteBuf data, ConnectionStats stats, PendingBudget budget) {
        int length = data.readableBytes();
        budget.add(length + PendingBudget.BUFFER_OVERHEAD);
        // A real promise (not the void one), so that completion is known.
        ctx.write(data).addListener(new EchoWritten(stats, budget, length));
    }

    @Override
    public void operationComplete(ChannelFuture future) {
        if (future.isSuccess()) {
            stats.bytesOut(length);
        }
        budget.remove(length + PendingBudget.BUFFER_OVERHEAD);
    }
}
