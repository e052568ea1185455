package lab.epoll.rawepoll;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * How often a raw loop's timerfd fires: often enough to close an idle connection within a quarter of
 * {@code --idle-timeout} late (but every 10 ms at most, every second at least), and to print the
 * {@code --stats-interval} line on time.
 */
public final class SweepTimer {
    private static final long MIN_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(1);

    private SweepTimer() {
    }

    /** The period in nanoseconds, or 0 when neither an idle timeout nor a stats line needs a timer. */
    public static long periodNanos(Duration idleTimeout, Duration statsInterval) {
        long idle = idleTimeout.toNanos();
        long period = idle > 0 ? Math.max(MIN_NANOS, Math.min(MAX_NANOS, idle / 4)) : 0;
        long stats = statsInterval.toNanos();
        if (stats > 0) {
            period = period == 0 ? stats : Math.min(period, stats);
        }
        return period;
    }
}
