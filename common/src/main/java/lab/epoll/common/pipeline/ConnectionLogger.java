package lab.epoll.common.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --verbose}: logs each connection's life like the exercise's expected output (accepted with its fd,
 * bytes read, bytes written, closed). Only put in the pipeline when asked for, so it costs nothing otherwise.
 */
public final class ConnectionLogger extends ChannelDuplexHandler {
    private static final Logger log = LoggerFactory.getLogger(ConnectionLogger.class);

    private String name;
    private long bytesIn;
    private long bytesOut;

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        name = ConnectionNames.of(ctx.channel());
        log.info("accepted {}", name);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf) {
            int length = ((ByteBuf) msg).readableBytes();
            bytesIn += length;
            log.info("{} read {} bytes", name, length);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf && ((ByteBuf) msg).isReadable() && !promise.isVoid()) {
            int length = ((ByteBuf) msg).readableBytes();
            promise.addListener((ChannelFutureListener) f -> {
                if (f.isSuccess()) {
                    bytesOut += length;
                    log.info("{} wrote {} bytes", name, length);
                }
            });
        }
        ctx.write(msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        log.info("closed {}: {} bytes in, {} bytes out", name, bytesIn, bytesOut);
        ctx.fireChannelInactive();
    }
}
