package lab.epoll.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import lab.epoll.common.server.PendingBudget;
import org.junit.jupiter.api.Test;

/** The budget's rule: exhausted above its size, available again below three quarters of it, told each time. */
class PendingBudgetTest {

    @Test
    void exhaustedAboveTheBudgetAvailableBelowThreeQuarters() {
        PendingBudget budget = new PendingBudget(1000);
        AtomicInteger told = new AtomicInteger();
        budget.onChange(told::incrementAndGet);

        budget.add(1000);
        assertThat(budget.exhausted()).as("at the budget exactly").isFalse();
        budget.add(1);
        assertThat(budget.exhausted()).as("one byte over").isTrue();
        assertThat(told).hasValue(1);
        budget.remove(251);
        assertThat(budget.exhausted())
                .as("at three quarters exactly: still exhausted")
                .isTrue();
        budget.remove(1);
        assertThat(budget.exhausted()).as("below three quarters").isFalse();
        assertThat(told).hasValue(2);
        assertThat(budget.pauses()).isEqualTo(1);
        assertThat(budget.peakOverBudget()).isEqualTo(1001);
        assertThat(budget.pending()).isEqualTo(749);
    }

    @Test
    void zeroCountsNothingAndNeverPauses() {
        PendingBudget budget = new PendingBudget(0);
        budget.onChange(() -> {
            throw new AssertionError("an unlimited budget changed");
        });
        budget.add(Long.MAX_VALUE / 2);
        assertThat(budget.exhausted()).isFalse();
        assertThat(budget.pending()).isZero();
    }
}
