package lab.epoll.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import lab.epoll.common.server.BudgetedRecvByteBufAllocator;
import lab.epoll.common.server.PendingBudget;
import org.junit.jupiter.api.Test;

/** Reads shrink to each connection's share of the budget's room, and only as the budget fills. */
class BudgetedRecvByteBufAllocatorTest {
    private static final int KIB = 1024;

    @Test
    void aReadTakesItsShareOfTheRoomLeftAndNeverLessThanTheMinimum() {
        PendingBudget budget = new PendingBudget(1024 * KIB);
        int[] connections = {8};
        RecvByteBufAllocator.Handle handle = BudgetedRecvByteBufAllocator.within(
                        new FixedRecvByteBufAllocator(64 * KIB), budget, () -> connections[0])
                .newHandle();

        assertThat(handle.guess()).as("an empty budget: the full read").isEqualTo(64 * KIB);
        budget.add(768 * KIB);
        assertThat(handle.guess()).as("256 KiB left among 8 connections").isEqualTo(32 * KIB);
        connections[0] = 2000;
        assertThat(handle.guess()).as("256 KiB among 2,000").isEqualTo(256 * KIB / 2000);
        budget.add(512 * KIB);
        assertThat(budget.exhausted()).isTrue();
        assertThat(handle.guess()).as("no room: the smallest read").isEqualTo(64);
        ByteBuf buffer = handle.allocate(UnpooledByteBufAllocator.DEFAULT);
        try {
            assertThat(buffer.capacity()).as("the buffer allocate() gives").isEqualTo(64);
        } finally {
            buffer.release();
        }
    }

    @Test
    void withTheBudgetOffTheSizingIsUntouched() {
        FixedRecvByteBufAllocator sizing = new FixedRecvByteBufAllocator(16 * KIB);
        assertThat(BudgetedRecvByteBufAllocator.within(sizing, new PendingBudget(0), () -> 1))
                .isSameAs(sizing);
    }
}
