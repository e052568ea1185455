package lab.epoll.common.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelGroupFuture;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import lab.epoll.common.stats.ConnectionStats;

/**
 * The open connections: admits new ones up to the limit, forgets them when they close, and tells shutdown when
 * the last one is gone. Admission is one atomic step so concurrent accepts on several event loops can never
 * exceed {@code --max-connections}.
 */
public final class ConnectionRegistry {
    private final ChannelGroup channels = new DefaultChannelGroup("connections", GlobalEventExecutor.INSTANCE);
    private final AtomicInteger open = new AtomicInteger();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private final ConnectionStats stats;
    private final int maxConnections;
    private volatile boolean draining;

    public ConnectionRegistry(ConnectionStats stats, int maxConnections) {
        this.stats = stats;
        this.maxConnections = maxConnections;
    }

    /**
     * Registers an accepted channel, or returns false (and counts it refused) when the server is full. The
     * caller closes a refused channel.
     */
    public boolean admit(Channel channel) {
        int now = open.incrementAndGet();
        if (maxConnections > 0 && now > maxConnections) {
            open.decrementAndGet();
            stats.refused();
            return false;
        }
        stats.accepted();
        channels.add(channel);
        channel.closeFuture().addListener(this::onClose);
        return true;
    }

    private void onClose(io.netty.util.concurrent.Future<? super Void> future) {
        stats.closed();
        if (open.decrementAndGet() == 0 && draining) {
            drained.complete(null);
        }
    }

    public int openConnections() {
        return open.get();
    }

    /** Bytes accepted for writing but not yet taken by the kernel, summed over every open connection. */
    public long pendingOutboundBytes() {
        long total = 0;
        for (Channel channel : channels) {
            ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
            if (buffer != null) {
                total += buffer.totalPendingWriteBytes();
            }
        }
        return total;
    }

    /** Completes once no connection is open; from here on the count only goes down (listeners are closed). */
    public CompletableFuture<Void> drain() {
        draining = true;
        if (open.get() == 0) {
            drained.complete(null);
        }
        return drained;
    }

    /**
     * Fires {@code event} into every open connection's pipeline, each on its own event loop (inline for the
     * caller's own loop's connections, a task for the others').
     */
    public void tellAll(Object event) {
        for (Channel channel : channels) {
            channel.pipeline().fireUserEventTriggered(event);
        }
    }

    /** Closes every open connection, e.g. when the shutdown grace period is over. */
    public ChannelGroupFuture closeAll() {
        return channels.close();
    }
}
