package lab.epoll.common.server;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import lab.epoll.common.stats.ConnectionStats;

/**
 * The {@code --stats-interval} line, the same for every engine: the counters; the echo waiting to be sent and
 * the direct memory the allocator holds (-1 when it keeps no metric), the two numbers that grow if backpressure
 * fails; and the {@link PendingBudget}'s record: how often it paused every reader, and the most unsent echo it
 * ever counted past its bound (0 if never).
 */
public final class StatsLine {
    private StatsLine() {}

    public static String of(
            ConnectionStats stats, long pendingOutBytes, ByteBufAllocator allocator, PendingBudget budget) {
        long direct = allocator instanceof ByteBufAllocatorMetricProvider metered
                ? metered.metric().usedDirectMemory()
                : -1;
        return "stats: " + stats.snapshot() + " pending-out=" + pendingOutBytes + " direct-memory=" + direct
                + " budget-pauses=" + budget.pauses() + " budget-peak=" + budget.peakOverBudget();
    }
}
