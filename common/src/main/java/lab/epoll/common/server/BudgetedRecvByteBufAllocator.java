package lab.epoll.common.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelConfig;
import io.netty.channel.MaxMessagesRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;
import java.util.function.IntSupplier;

/**
 * Read buffers no larger than a connection's share of what the {@link PendingBudget} has left: without it the
 * Netty engines overshot the budget by the reads already under way when it filled (up to 23 MiB at 2,000
 * stalled readers), since every ready connection of an event loop's wake-up reads once before the pause reaches
 * it, and io_uring sizes each read when it submits it, long before the data comes.
 *
 * <p>The share is the room left ({@code max - pending}) divided among the open connections, and never below
 * {@link #MIN_READ}: all of them reading at once then add about the room, not a read each at full size. With the
 * budget far from full (any server whose peers read) the share is larger than what the wrapped allocator asks
 * (64 KiB at most), and nothing changes.
 */
public final class BudgetedRecvByteBufAllocator implements MaxMessagesRecvByteBufAllocator {
    /** The smallest read once the budget is (nearly) full: Netty's adaptive minimum. */
    static final int MIN_READ = 64;

    private final MaxMessagesRecvByteBufAllocator sizing;
    private final PendingBudget budget;
    private final IntSupplier openConnections;

    /** {@code sizing} as wrapped, or itself when the budget is off. */
    public static RecvByteBufAllocator within(
            MaxMessagesRecvByteBufAllocator sizing, PendingBudget budget, IntSupplier openConnections) {
        return budget.unlimited() ? sizing : new BudgetedRecvByteBufAllocator(sizing, budget, openConnections);
    }

    private BudgetedRecvByteBufAllocator(
            MaxMessagesRecvByteBufAllocator sizing, PendingBudget budget, IntSupplier openConnections) {
        this.sizing = sizing;
        this.budget = budget;
        this.openConnections = openConnections;
    }

    /** The size of the next read: what {@code wanted} says, cut to the connection's share of the room left. */
    static int share(int wanted, long room, int connections) {
        long share = room / Math.max(1, connections);
        return (int) Math.max(MIN_READ, Math.min(wanted, share));
    }

    @Override
    public Handle newHandle() {
        // Every Netty transport of the lab wraps an ExtendedHandle; MaxMessagesRecvByteBufAllocator gives one.
        return new BudgetedHandle((ExtendedHandle) sizing.newHandle());
    }

    @Override
    public int maxMessagesPerRead() {
        return sizing.maxMessagesPerRead();
    }

    @Override
    public MaxMessagesRecvByteBufAllocator maxMessagesPerRead(int maxMessagesPerRead) {
        sizing.maxMessagesPerRead(maxMessagesPerRead);
        return this;
    }

    private final class BudgetedHandle implements ExtendedHandle {
        private final ExtendedHandle sized;

        BudgetedHandle(ExtendedHandle sized) {
            this.sized = sized;
        }

        @Override
        public int guess() {
            return share(sized.guess(), budget.room(), openConnections.getAsInt());
        }

        @Override
        public ByteBuf allocate(ByteBufAllocator alloc) {
            return alloc.ioBuffer(guess());
        }

        @Override
        public void reset(ChannelConfig config) {
            sized.reset(config);
        }

        @Override
        public void incMessagesRead(int numMessages) {
            sized.incMessagesRead(numMessages);
        }

        @Override
        public void lastBytesRead(int bytes) {
            sized.lastBytesRead(bytes);
        }

        @Override
        public int lastBytesRead() {
            return sized.lastBytesRead();
        }

        @Override
        public void attemptedBytesRead(int bytes) {
            sized.attemptedBytesRead(bytes);
        }

        @Override
        public int attemptedBytesRead() {
            return sized.attemptedBytesRead();
        }

        @Override
        public boolean continueReading() {
            return sized.continueReading();
        }

        @Override
        public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
            return sized.continueReading(maybeMoreDataSupplier);
        }

        @Override
        public void readComplete() {
            sized.readComplete();
        }
    }
}
