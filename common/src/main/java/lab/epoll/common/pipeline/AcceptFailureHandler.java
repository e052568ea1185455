package lab.epoll.common.pipeline;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetSocketAddress;
import lab.epoll.common.server.ErrorText;
import lab.epoll.common.server.HostPort;
import lab.epoll.common.stats.ConnectionStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listener's error handling. When {@code accept(2)} fails (EMFILE: out of file descriptors, ENFILE, ...),
 * Netty's acceptor stops accepting for one second and passes the error on; without a handler behind it the error
 * reaches the end of the pipeline, where Netty logs a misleading "nobody handled this" warning. This handler
 * stands behind the acceptor, says what happened in one line and counts it. Connections waiting in the backlog
 * are accepted once descriptors free up.
 */
@Sharable
public final class AcceptFailureHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(AcceptFailureHandler.class);

    private final ConnectionStats stats;

    private AcceptFailureHandler(ConnectionStats stats) {
        this.stats = stats;
    }

    /**
     * The handler to give {@code ServerBootstrap.handler(...)}. Netty adds its acceptor after that handler, so
     * this one moves itself to the end of the pipeline once the listener is active, behind the acceptor.
     */
    public static ChannelInboundHandlerAdapter forListener(ConnectionStats stats) {
        return new Installer(new AcceptFailureHandler(stats));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        stats.error();
        log.warn(
                "accept on {} failed: {}; accepting again in 1 s",
                HostPort.format((InetSocketAddress) ctx.channel().localAddress()),
                ErrorText.of(cause));
    }

    @Sharable
    private static final class Installer extends ChannelInboundHandlerAdapter {
        private final AcceptFailureHandler handler;

        Installer(AcceptFailureHandler handler) {
            this.handler = handler;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.pipeline().addLast("accept-failures", handler);
            ctx.pipeline().remove(this);
            ctx.fireChannelActive();
        }
    }
}
