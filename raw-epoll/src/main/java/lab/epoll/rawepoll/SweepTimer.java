package lab.epoll.rawepoll;

import java.time.Duration;
import lab.epoll.common.pipeline.IdleSweep;

/**
 * How often a raw loop's timerfd fires: as often as the Netty servers sweep for idle connections
 * ({@link IdleSweep#periodNanos}), and often enough to print the {@code --stats-interval} line on time.
 */
public final class SweepTimer {
    private SweepTimer() {}

    /** The period in nanoseconds, or 0 when neither an idle timeout nor a stats line needs a timer. */
    public static long periodNanos(Duration idleTimeout, Duration statsInterval) {
        long period = idleTimeout.isZero() ? 0 : IdleSweep.periodNanos(idleTimeout);
        long stats = statsInterval.toNanos();
        if (stats > 0) {
            period = period == 0 ? stats : Math.min(period, stats);
        }
        return period;
    }
}
