package lab.epoll.common.pipeline;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import lab.epoll.common.stats.ConnectionStats;

/**
 * Adds a write's length to bytes-out once the kernel has taken all of it, so the counter means bytes sent, not
 * bytes queued. Every echo stage (the event-loop one and the ONESHOT worker one) counts through this.
 */
public final class CountWrittenBytes implements ChannelFutureListener {
    private final ConnectionStats stats;
    private final int length;

    public CountWrittenBytes(ConnectionStats stats, int length) {
        this.stats = stats;
        this.length = length;
    }

    @Override
    public void operationComplete(ChannelFuture future) {
        if (future.isSuccess()) {
            stats.bytesOut(length);
        }
    }
}
