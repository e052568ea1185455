package lab.epoll.common.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import lab.epoll.common.cli.ServerOptions;
import lab.epoll.common.pipeline.AcceptFailureHandler;
import lab.epoll.common.pipeline.BudgetChanged;
import lab.epoll.common.pipeline.EchoChannelInitializer;
import lab.epoll.common.stats.ConnectionStats;
import lab.epoll.common.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One echo server: its event loops, its listening sockets and its open connections, on any {@link Transport}.
 * {@link #start()} binds; {@link #stop(Duration)} is the graceful shutdown (stop accepting, let open
 * connections finish within the grace period, close the rest, stop the event loops).
 */
public final class EchoServer implements LabServer {
    private static final Logger log = LoggerFactory.getLogger(EchoServer.class);

    private final ServerOptions options;
    private final Transport transport;
    private final ConnectionStats stats = new ConnectionStats();
    private final ConnectionRegistry registry;
    private final PendingBudget budget;
    private final List<Channel> listeners = new ArrayList<>();
    private final ByteBufAllocator allocator;
    private EventLoopGroup group;

    public EchoServer(ServerOptions options, Transport transport) {
        this.options = options;
        this.transport = transport;
        this.registry = new ConnectionRegistry(stats, options.maxConnections());
        this.budget = new PendingBudget(options.maxPendingBytes());
        budget.onChange(() -> registry.tellAll(BudgetChanged.INSTANCE));
        this.allocator = options.allocator().instance();
    }

    /** Binds {@code --listeners} sockets to the host and port; returns the address actually bound. */
    @Override
    public InetSocketAddress start() throws ServerStartException {
        transport.ensureAvailable();
        InetAddress host = Listen.resolve(options.host());
        group = transport.newEventLoopGroup(options);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channelFactory((io.netty.channel.ChannelFactory<ServerChannel>) () -> transport.newServerChannel(host))
                .option(ChannelOption.SO_BACKLOG, options.backlog())
                .option(ChannelOption.ALLOCATOR, allocator)
                .childOption(ChannelOption.ALLOCATOR, allocator)
                .childOption(ChannelOption.TCP_NODELAY, options.tcpNoDelay())
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(
                        ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(options.writeBufferLow(), options.writeBufferHigh()))
                .handler(AcceptFailureHandler.forListener(stats))
                .childHandler(new EchoChannelInitializer(options, transport, registry, stats, budget));
        RecvByteBufAllocator accepting = AcceptBatch.allocator(transport.acceptBatch(options));
        if (accepting != null) {
            bootstrap.option(ChannelOption.RCVBUF_ALLOCATOR, accepting);
        }
        transport.configure(bootstrap, options);
        // After the transport's options, so that no transport can replace it: every engine's reads are budgeted
        // (the io_uring one once set its own allocator here, and overshot the budget by a third).
        bootstrap.childOption(
                ChannelOption.RCVBUF_ALLOCATOR,
                BudgetedRecvByteBufAllocator.within(
                        options.recvAllocator().newAllocator(transport.maxMessagesPerRead(options)),
                        budget,
                        registry::openConnections));

        InetSocketAddress requested = new InetSocketAddress(host, options.port());
        try {
            Channel first = bind(bootstrap, requested);
            InetSocketAddress bound = (InetSocketAddress) first.localAddress();
            // With --port 0 the kernel chose the port; the other SO_REUSEPORT listeners must share that one.
            for (int i = 1; i < options.listeners(); i++) {
                bind(bootstrap, bound);
            }
            if (!options.statsInterval().isZero()) {
                long every = options.statsInterval().toNanos();
                group.next().scheduleAtFixedRate(this::logStats, every, every, TimeUnit.NANOSECONDS);
            }
            return bound;
        } catch (ServerStartException e) {
            closeQuietly();
            throw e;
        }
    }

    private Channel bind(ServerBootstrap bootstrap, InetSocketAddress address) throws ServerStartException {
        Channel channel = Listen.bind(bootstrap, address);
        listeners.add(channel);
        return channel;
    }

    /**
     * The graceful shutdown: close the listeners (new connections are refused from now on), wait up to
     * {@code grace} for open connections to finish on their own, close whatever is left, stop the event loops.
     */
    @Override
    public void stop(Duration grace) {
        for (Channel listener : listeners) {
            listener.close().syncUninterruptibly();
        }
        int open = registry.openConnections();
        if (open > 0) {
            log.info("listener closed; waiting up to {} ms for {} open connection(s)", grace.toMillis(), open);
            try {
                registry.drain().get(grace.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                log.info("grace period over; closing {} connection(s)", registry.openConnections());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }
        registry.closeAll().awaitUninterruptibly();
        closeQuietly();
    }

    private void closeQuietly() {
        if (group != null) {
            // No quiet period: every connection is already closed, nothing new can arrive.
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        }
        transport.shutdown();
    }

    @Override
    public String describe() {
        return transport.describe() + ", io-threads=" + options.ioThreads() + ", accept-batch="
                + AcceptBatch.describe(transport.acceptBatch(options));
    }

    @Override
    public ConnectionStats.Snapshot stats() {
        return stats.snapshot();
    }

    @Override
    public PendingBudget budget() {
        return budget;
    }

    private void logStats() {
        log.info(StatsLine.of(stats, pendingOutboundBytes(), allocator, budget));
    }

    /** Echo bytes queued but not yet taken by the kernel, over all connections: what backpressure bounds. */
    public long pendingOutboundBytes() {
        return registry.pendingOutboundBytes();
    }
}
