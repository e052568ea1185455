package lab.epoll.blocking;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import lab.epoll.common.server.PendingBudget;

/**
 * Where a connection's thread waits before it reads while the server-wide {@link PendingBudget} is exhausted. A
 * lock and a condition rather than {@code synchronized}: a virtual thread waiting in a monitor pins its carrier
 * on Java 21 to 23.
 */
final class BudgetGate {
    private final PendingBudget budget;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    BudgetGate(PendingBudget budget) {
        this.budget = budget;
        budget.onChange(this::wakeAll);
    }

    /** Returns once the budget has room or {@code cancelled} says the connection is closing. */
    void awaitRoom(BooleanSupplier cancelled) throws InterruptedException {
        if (!budget.exhausted()) {
            return;
        }
        lock.lock();
        try {
            while (budget.exhausted() && !cancelled.getAsBoolean()) {
                changed.await();
            }
        } finally {
            lock.unlock();
        }
    }

    /** After the budget flips, or when a waiting connection is closed from another thread. */
    void wakeAll() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
