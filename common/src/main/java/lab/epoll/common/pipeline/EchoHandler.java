package lab.epoll.common.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import lab.epoll.common.server.PendingBudget;
import lab.epoll.common.stats.ConnectionStats;

/**
 * The echo service (RFC 862): every byte read is written back, in order.
 *
 * <p>Backpressure: a write only queues bytes; when a connection's queue passes the high water mark the channel
 * turns unwritable and we stop reading from it, so a peer that sends but never reads costs at most about one
 * water mark of memory. Reading resumes when the queue drains below the low mark. Server-wide, no connection
 * reads while the {@link PendingBudget} is exhausted: the read that exhausts it stops its own read loop at once,
 * and {@link BudgetChanged} tells every other connection.
 *
 * <p>Half-close: when the peer shuts down its side (FIN, seen through EPOLLRDHUP), everything read so far is
 * still queued; we flush it and only then close.
 */
public final class EchoHandler extends ChannelInboundHandlerAdapter {
    private final ConnectionStats stats;
    private final PendingBudget budget;

    public EchoHandler(ConnectionStats stats, PendingBudget budget) {
        this.stats = stats;
        this.budget = budget;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        updateReading(ctx); // accepted while the budget was exhausted: it waits like the others
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf data = (ByteBuf) msg;
        stats.bytesIn(data.readableBytes());
        EchoWritten.write(ctx, data, stats, budget);
        if (budget.exhausted()) {
            // Netty's read loop asks AUTO_READ before each further read: this one is the last.
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // One flush per batch of reads: a single writev(2) can carry several echoes.
        ctx.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        updateReading(ctx);
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == BudgetChanged.INSTANCE) {
            updateReading(ctx);
            return;
        }
        if (evt instanceof ChannelInputShutdownEvent) {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
        ctx.fireUserEventTriggered(evt);
    }

    /** Reads while its own echo is below the water mark and the server's below its budget. */
    private void updateReading(ChannelHandlerContext ctx) {
        ctx.channel().config().setAutoRead(ctx.channel().isWritable() && !budget.exhausted());
    }
}
