package lab.epoll.common.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollMode;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.Inet4Address;
import java.net.InetAddress;
import lab.epoll.common.cli.ServerOptions;
import lab.epoll.common.server.ErrorText;
import lab.epoll.common.server.ServerStartException;

/**
 * Netty's native epoll transport in one {@link EpollMode}. The mode is set on the listener and on every
 * accepted socket, so each fd is registered with ({@code EDGE_TRIGGERED}) or without ({@code LEVEL_TRIGGERED})
 * {@code EPOLLET}; {@code /proc/PID/fdinfo/EPOLL_FD} shows which.
 */
public final class EpollTransport implements Transport {
    /** The epoll transport's socket knobs; Netty 4.2's epoll keeps the same constants. */
    public static final NativeSocketOptions SOCKET_OPTIONS = new NativeSocketOptions(
            EpollChannelOption.SO_REUSEPORT,
            EpollChannelOption.TCP_FASTOPEN,
            EpollChannelOption.TCP_DEFER_ACCEPT,
            EpollChannelOption.TCP_QUICKACK,
            EpollChannelOption.SO_BUSY_POLL);

    private final EpollMode mode;

    public EpollTransport(EpollMode mode) {
        this.mode = mode;
    }

    @Override
    public void ensureAvailable() throws ServerStartException {
        requireEpoll();
    }

    /** Fails with the one-line reason when Netty's epoll native library cannot load here; 4.2's epoll shares it. */
    public static void requireEpoll() throws ServerStartException {
        if (!Epoll.isAvailable()) {
            throw ErrorText.unavailable("epoll", Epoll.unavailabilityCause());
        }
    }

    @Override
    public String describe() {
        return "mode=" + mode;
    }

    @Override
    @SuppressWarnings("deprecation") // the only constructor that takes maxEventsAtOnce; Netty 4.1 keeps it working
    public EventLoopGroup newEventLoopGroup(ServerOptions options) {
        return new EpollEventLoopGroup(
                options.ioThreads(), new DefaultThreadFactory("epoll-" + shortMode()), options.maxEvents());
    }

    @Override
    public ServerChannel newServerChannel(InetAddress address) {
        return serverChannel(address);
    }

    /**
     * Netty 4.1's epoll listener for this bind address: an IPv4 socket for an IPv4 address, so {@code 0.0.0.0}
     * means IPv4 only, not dual-stack. Shared with bare-server, which has no transport of the lab's.
     */
    public static EpollServerSocketChannel serverChannel(InetAddress address) {
        return address instanceof Inet4Address
                ? new EpollServerSocketChannel(InternetProtocolFamily.IPv4)
                : new EpollServerSocketChannel();
    }

    @Override
    public void configure(ServerBootstrap bootstrap, ServerOptions options) {
        bootstrap.option(EpollChannelOption.EPOLL_MODE, mode).childOption(EpollChannelOption.EPOLL_MODE, mode);
        SOCKET_OPTIONS.apply(bootstrap, options);
    }

    private String shortMode() {
        return mode == EpollMode.EDGE_TRIGGERED ? "edge" : "level";
    }
}
