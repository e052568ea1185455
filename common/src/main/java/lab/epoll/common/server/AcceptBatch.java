package lab.epoll.common.server;

import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.ServerChannelRecvByteBufAllocator;

/**
 * How many connections a listener takes per readiness event ({@code --accept-batch}).
 *
 * <p>Netty gives every server channel a {@link ServerChannelRecvByteBufAllocator}: at most one message (one
 * accepted connection) per read, and only while the transport says more may be waiting. In level-triggered
 * epoll it never says so ({@code EpollRecvByteAllocatorHandle.maybeMoreDataToRead()} compares the accepted fd
 * with the one "byte" it attempted), so the listener accepts one connection per {@code epoll_wait}: Netty 4.1's
 * {@code LEVEL_TRIGGERED} mode, Netty 4.2's epoll (level-triggered only) and NIO's selector all do. When the loop
 * is saturated each wait takes longer, so it accepts fewer connections a second the busier it is, and once that
 * falls below the rate new clients arrive, the kernel's accept queue grows without bound. Edge-triggered epoll
 * escapes it by re-running the accept as a task after each one.
 *
 * <p>The lab's default keeps accepting up to {@link #DEFAULT} connections per event, whatever the transport says.
 */
public final class AcceptBatch {
    /** Enough to take in a burst per wake-up, few enough that a flood of connections cannot stall the loop long. */
    public static final int DEFAULT = 64;

    private AcceptBatch() {}

    /**
     * The listener's allocator for a batch of {@code n} (0: no limit), or null for 1: Netty's own, untouched, so
     * that {@code --accept-batch 1} is exactly the stock behaviour.
     */
    public static RecvByteBufAllocator allocator(int n) {
        if (n == 1) {
            return null;
        }
        return new ServerChannelRecvByteBufAllocator()
                .respectMaybeMoreData(false)
                .maxMessagesPerRead(n == 0 ? Integer.MAX_VALUE : n);
    }

    /**
     * Whether a listener that took {@code accepted} connections in this event may take another, for the engines
     * that drive accept(2) themselves.
     */
    public static boolean allowsAnother(int batch, int accepted) {
        return batch == 0 || accepted < batch;
    }

    /** How the listening line shows a batch: the number, or {@code until-empty} for 0. */
    public static String describe(int n) {
        return n == 0 ? "until-empty" : Integer.toString(n);
    }
}
