package lab.epoll.netty42;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import lab.epoll.common.cli.ServerOptions;
import lab.epoll.common.server.ErrorText;
import lab.epoll.common.server.ServerStartException;
import lab.epoll.common.transport.DualStack;
import lab.epoll.common.transport.NativeSocketOptions;
import lab.epoll.common.transport.Transport;

/**
 * Netty 4.2's io_uring transport, no longer incubating: one {@link IoUringIoHandler} (one ring) per event loop.
 * Like the incubator's, it submits reads, writes and accepts and reaps their completions; 4.2 adds multishot
 * accept and receive and provided buffer rings where the kernel has them ({@code IoUring.featureString()}).
 */
final class IoUring42Transport implements Transport {
    private static final NativeSocketOptions SOCKET_OPTIONS = new NativeSocketOptions(
            IoUringChannelOption.SO_REUSEPORT,
            IoUringChannelOption.TCP_FASTOPEN,
            IoUringChannelOption.TCP_DEFER_ACCEPT,
            IoUringChannelOption.TCP_QUICKACK,
            null);

    @Override
    public void ensureAvailable() throws ServerStartException {
        if (!IoUring.isAvailable()) {
            throw ErrorText.unavailable("io_uring", IoUring.unavailabilityCause());
        }
    }

    @Override
    public String describe() {
        return "transport=io_uring (Netty 4.2), multishot-accept=" + IoUring.isAcceptMultishotEnabled();
    }

    @Override
    public EventLoopGroup newEventLoopGroup(ServerOptions options) {
        return new MultiThreadIoEventLoopGroup(
                options.ioThreads(), new DefaultThreadFactory("io_uring42"), IoUringIoHandler.newFactory());
    }

    @Override
    public ServerChannel newServerChannel(InetAddress address) {
        DualStack.warnIfIpv4Wildcard(address, "io_uring");
        return new IoUringServerSocketChannel();
    }

    @Override
    public void configure(ServerBootstrap bootstrap, ServerOptions options) {
        SOCKET_OPTIONS.apply(bootstrap, options);
    }
}
