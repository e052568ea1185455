package lab.epoll.common.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.channels.spi.SelectorProvider;
import lab.epoll.common.cli.ServerOptions;

/**
 * The baseline: Netty's NIO transport on whatever selector the JDK provides. On Linux that is an epoll selector
 * (level-triggered, one {@code epoll_ctl} per interest change); started with
 * {@code -Djava.nio.channels.spi.SelectorProvider=sun.nio.ch.PollSelectorProvider} it is poll(2), which hands
 * the kernel every registered fd on every wait: the O(n) the seeds contrast with epoll's O(ready).
 */
public final class NioTransport implements Transport {
    private final SelectorProvider provider = SelectorProvider.provider();

    /** The JDK's selector implementation, e.g. {@code EPollSelectorImpl} or {@code PollSelectorImpl}. */
    public String selectorName() {
        try (var selector = provider.openSelector()) {
            return selector.getClass().getSimpleName();
        } catch (java.io.IOException e) {
            return provider.getClass().getSimpleName();
        }
    }

    @Override
    public void ensureAvailable() {
        // The JDK's selectors are always there.
    }

    @Override
    public String describe() {
        return "transport=nio, selector=" + selectorName();
    }

    @Override
    public EventLoopGroup newEventLoopGroup(ServerOptions options) {
        return new NioEventLoopGroup(options.ioThreads(), new DefaultThreadFactory("nio"), provider);
    }

    @Override
    public ServerChannel newServerChannel(InetAddress address) {
        // SelectorProvider.provider() is the JDK's epoll or poll selector, as -Djava.nio.channels.spi... chose.
        return address instanceof Inet4Address
                ? new NioServerSocketChannel(SelectorProvider.provider(), InternetProtocolFamily.IPv4)
                : new NioServerSocketChannel();
    }

    @Override
    public void configure(ServerBootstrap bootstrap, ServerOptions options) {
        // Only portable socket options: the epoll knobs have no NIO equivalent, and nio-server refuses them.
    }
}
