package lab.epoll.uring;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.incubator.channel.uring.IOUring;
import io.netty.incubator.channel.uring.IOUringChannelOption;
import io.netty.incubator.channel.uring.IOUringEventLoopGroup;
import io.netty.incubator.channel.uring.IOUringServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import lab.epoll.common.cli.ServerOptions;
import lab.epoll.common.server.ErrorText;
import lab.epoll.common.server.ServerStartException;
import lab.epoll.common.transport.DualStack;
import lab.epoll.common.transport.NativeSocketOptions;
import lab.epoll.common.transport.Transport;

/**
 * Netty 4.1's io_uring transport, from the incubator. Each event loop owns one ring: reads, writes and accepts
 * are submitted as requests and come back as completions, so no fd is ever registered for readiness and the
 * process has no epoll instance. A request the kernel cannot finish at once may be handed to io-wq, kernel
 * worker threads inside the server process ({@code iou-wrk-*} in {@code /proc/PID/task}).
 */
public final class IoUringTransport implements Transport {
    // The incubator deprecates its own TCP_FASTOPEN in favour of the server-side TCP_FASTOPEN of Netty 4.2;
    // on 4.1 this is the option that sets it.
    @SuppressWarnings("deprecation")
    private static final NativeSocketOptions SOCKET_OPTIONS = new NativeSocketOptions(
            IOUringChannelOption.SO_REUSEPORT,
            IOUringChannelOption.TCP_FASTOPEN,
            IOUringChannelOption.TCP_DEFER_ACCEPT,
            IOUringChannelOption.TCP_QUICKACK,
            null);

    @Override
    public void ensureAvailable() throws ServerStartException {
        if (!IOUring.isAvailable()) {
            throw ErrorText.unavailable("io_uring", IOUring.unavailabilityCause());
        }
    }

    @Override
    public String describe() {
        return "transport=io_uring (netty-incubator), max-messages-per-read=1";
    }

    @Override
    public EventLoopGroup newEventLoopGroup(ServerOptions options) {
        return new IOUringEventLoopGroup(options.ioThreads(), new DefaultThreadFactory("io_uring"));
    }

    @Override
    public ServerChannel newServerChannel(InetAddress address) {
        DualStack.warnIfIpv4Wildcard(address, "io_uring");
        return new IOUringServerSocketChannel();
    }

    @Override
    public void configure(ServerBootstrap bootstrap, ServerOptions options) {
        SOCKET_OPTIONS.apply(bootstrap, options);
    }

    /**
     * One read per completion. When a read fills its buffer, the incubator submits the next read and holds
     * channelReadComplete back until that read completes; a request that exactly fills the buffer (1 KiB once the
     * adaptive allocator has shrunk to it) then waits for the peer's next request, which never comes because its
     * echo is never flushed (StalledReaderIT's other clients hung on their 3rd echo). On epoll the extra read
     * returns EAGAIN at once; Netty 4.2 asks the kernel whether more data is queued.
     */
    @Override
    public int maxMessagesPerRead(ServerOptions options) {
        return 1;
    }

    /**
     * Netty's stock accept. The incubator submits one accept request and the next only when it completes
     * ({@code AbstractIOUringServerChannel.UringServerChannelUnsafe.readComplete0}), so it takes one connection per
     * trip round the ring whatever the batch allows; and with a batch, a server that had been saturated here did
     * not stop after SIGTERM within a minute (twice in two runs, never with the stock policy).
     */
    @Override
    public int acceptBatch(ServerOptions options) {
        return 1;
    }
}
