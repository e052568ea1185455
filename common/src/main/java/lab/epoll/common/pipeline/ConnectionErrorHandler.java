package lab.epoll.common.pipeline;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import lab.epoll.common.server.PeerFailureLog;
import lab.epoll.common.stats.ConnectionStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler: a failure on one connection is counted, logged once and closes that connection only.
 *
 * <p>An I/O error (a reset, a broken pipe) is the peer's doing and gets one line without a stack trace (at most
 * {@link PeerFailureLog}'s budget a second, the rest summarised); anything
 * else is a bug in the server and gets its stack trace. Once the channel is closing, further errors from it
 * are counted but not logged, so a dying connection cannot flood the log.
 */
@Sharable
public final class ConnectionErrorHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ConnectionErrorHandler.class);

    private final ConnectionStats stats;

    public ConnectionErrorHandler(ConnectionStats stats) {
        this.stats = stats;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        stats.error();
        if (ctx.channel().isOpen()) {
            if (cause instanceof IOException) {
                PeerFailureLog.failed(ConnectionNames.of(ctx.channel()), cause.getMessage());
            } else {
                log.warn("{} failed; closing it", ConnectionNames.of(ctx.channel()), cause);
            }
            ctx.close();
        }
    }
}
