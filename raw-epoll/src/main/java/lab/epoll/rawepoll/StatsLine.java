package lab.epoll.rawepoll;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import lab.epoll.common.stats.ConnectionStats;

/**
 * The {@code --stats-interval} line of a raw loop: the counters, the echo waiting to be sent, and the direct
 * memory the allocator holds (-1 when it keeps no metric), the two numbers that grow if backpressure fails.
 */
public final class StatsLine {
    private StatsLine() {
    }

    public static String of(ConnectionStats stats, long pendingOutBytes, ByteBufAllocator allocator) {
        long direct = allocator instanceof ByteBufAllocatorMetricProvider metered
                ? metered.metric().usedDirectMemory() : -1;
        return "stats: " + stats.snapshot() + " pending-out=" + pendingOutBytes + " direct-memory=" + direct;
    }
}
