package lab.epoll.jmh.load;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Ends a trial whose server stopped answering: a load that ran for 30 s without one echo completing fails, so
 * the benchmark does not hang on it.
 */
final class StallWatch {
    private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final LongSupplier completed;
    private final BooleanSupplier running;
    private long lastProgressNanos = System.nanoTime();

    StallWatch(LongSupplier completed, BooleanSupplier running) {
        this.completed = completed;
        this.running = running;
    }

    /** Sleeps {@code millis} and returns the echoes completed so far; throws after 30 s of none while running. */
    long sleepAndCount(long millis) throws InterruptedException {
        long before = completed.getAsLong();
        Thread.sleep(millis);
        long after = completed.getAsLong();
        long now = System.nanoTime();
        if (after != before || !running.getAsBoolean()) {
            lastProgressNanos = now;
        } else if (now - lastProgressNanos > STALL_NANOS) {
            throw new IllegalStateException("no echo completed for 30 s: is the server still serving?");
        }
        return after;
    }

    /**
     * As {@link #sleepAndCount(long)}, and throws the client's own failure ({@code failure}, null while it has
     * none), so a load whose thread died ends the trial with the reason.
     */
    long sleepAndCount(long millis, Supplier<Throwable> failure, String client) throws InterruptedException {
        long count = sleepAndCount(millis);
        Throwable failed = failure.get();
        if (failed != null) {
            throw new IllegalStateException(client + " failed: " + failed.getMessage(), failed);
        }
        return count;
    }
}
