package lab.epoll.common.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import lab.epoll.common.stats.ConnectionStats;

/**
 * The echo service (RFC 862): every byte read is written back, in order.
 *
 * <p>Backpressure: a write only queues bytes; when a connection's queue passes the high water mark the channel
 * turns unwritable and we stop reading from it, so a peer that sends but never reads costs at most about one
 * water mark of memory. Reading resumes when the queue drains below the low mark.
 *
 * <p>Half-close: when the peer shuts down its side (FIN, seen through EPOLLRDHUP), everything read so far is
 * still queued; we flush it and only then close.
 */
public final class EchoHandler extends ChannelInboundHandlerAdapter {
    private final ConnectionStats stats;

    public EchoHandler(ConnectionStats stats) {
        this.stats = stats;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf data = (ByteBuf) msg;
        int length = data.readableBytes();
        stats.bytesIn(length);
        // A real promise (not the void one) so bytes-out counts what the kernel took, not what we queued.
        ctx.write(data).addListener(new CountWrittenBytes(stats, length));
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // One flush per batch of reads: a single writev(2) can carry several echoes.
        ctx.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        ctx.channel().config().setAutoRead(ctx.channel().isWritable());
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
        ctx.fireUserEventTriggered(evt);
    }
}
