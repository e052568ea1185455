package lab.epoll.common.pipeline;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import lab.epoll.common.stats.ConnectionStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection when the {@code IdleStateHandler} in front of it reports that nothing was read or written
 * for the idle timeout. The timer behind it is a task on the connection's own event loop, which Netty's epoll
 * loop wakes for with a timerfd: the same mechanism as the exercise's timerfd sweep, one timer per connection
 * instead of one periodic scan.
 */
@Sharable
public final class IdleConnectionCloser extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(IdleConnectionCloser.class);

    private final ConnectionStats stats;
    private final boolean verbose;

    public IdleConnectionCloser(ConnectionStats stats, boolean verbose) {
        this.stats = stats;
        this.verbose = verbose;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            stats.closedIdle();
            if (verbose) {
                log.info("{} idle for too long, closing it", ConnectionNames.of(ctx.channel()));
            }
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }
}
