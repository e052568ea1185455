package lab.epoll.common.pipeline;

import lab.epoll.common.server.PendingBudget;

/**
 * The user event every connection's pipeline gets when the {@link PendingBudget} turns exhausted or available
 * again; each echo stage then reads {@link PendingBudget#exhausted()} and pauses or resumes its reading.
 */
public enum BudgetChanged {
    INSTANCE
}
