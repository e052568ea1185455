package lab.epoll.netty42;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.DefaultSelectStrategyFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.Inet4Address;
import java.net.InetAddress;
import lab.epoll.common.cli.ServerOptions;
import lab.epoll.common.server.ServerStartException;
import lab.epoll.common.transport.EpollTransport;
import lab.epoll.common.transport.Transport;

/**
 * Netty 4.2's epoll transport: one {@link EpollIoHandler} per event loop of a {@link MultiThreadIoEventLoopGroup}.
 * 4.2 registers every fd level-triggered and ignores {@code EpollMode}, so there is no mode to choose; the socket
 * knobs are 4.1's, under the same names.
 */
final class Epoll42Transport implements Transport {
    @Override
    public void ensureAvailable() throws ServerStartException {
        EpollTransport.requireEpoll();
    }

    @Override
    public String describe() {
        return "transport=epoll (Netty 4.2, level-triggered)";
    }

    @Override
    public EventLoopGroup newEventLoopGroup(ServerOptions options) {
        IoHandlerFactory handler = options.maxEvents() == 0
                ? EpollIoHandler.newFactory()
                : EpollIoHandler.newFactory(options.maxEvents(), DefaultSelectStrategyFactory.INSTANCE);
        return new MultiThreadIoEventLoopGroup(options.ioThreads(), new DefaultThreadFactory("epoll42"), handler);
    }

    @Override
    public ServerChannel newServerChannel(InetAddress address) {
        return address instanceof Inet4Address
                ? new EpollServerSocketChannel(SocketProtocolFamily.INET)
                : new EpollServerSocketChannel();
    }

    @Override
    public void configure(ServerBootstrap bootstrap, ServerOptions options) {
        EpollTransport.SOCKET_OPTIONS.apply(bootstrap, options);
    }
}
