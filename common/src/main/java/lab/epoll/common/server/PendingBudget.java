package lab.epoll.common.server;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import lab.epoll.catalog.ServerOption.Name;
import lab.epoll.common.cli.ByteSizeConverter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server-wide bound on unsent echo, {@code --max-pending-bytes}: what the per-connection water marks cannot
 * give alone, since each of 2,000 peers that never read may hold up to one high mark (127 MiB at 64 KiB each).
 *
 * <p>Every engine counts an echo here from the moment it holds it until the kernel has taken it or the
 * connection is gone: its bytes plus {@link #BUFFER_OVERHEAD}, as Netty counts its write queue. Above the budget
 * it is <em>exhausted</em>: no connection reads (each engine checks {@link #exhausted()} before asking for more);
 * once the unsent echo drops below three quarters of the budget, reading resumes. The gap keeps a server near
 * the budget from pausing and resuming on every echo. Each change calls the listener, on the thread whose echo
 * caused it; the listener reads {@link #exhausted()} rather than trusting the order of calls.
 *
 * <p>The trade-off: while the budget is exhausted by peers that do not read, the peers that do are paused too,
 * until the idle timeout closes the stalled ones (a connection that moves no byte is idle). Memory stays bounded;
 * service waits.
 *
 * <p>Thread-safe; one per server. A budget of 0 counts nothing and never pauses.
 */
public final class PendingBudget {
    /** What one queued buffer counts beyond its bytes: Netty's default per-entry overhead in its write queue. */
    public static final int BUFFER_OVERHEAD = 96;

    private static final Logger log = LoggerFactory.getLogger(PendingBudget.class);
    private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final long max;
    private final long resumeBelow;
    private final AtomicLong pending = new AtomicLong();
    private volatile boolean exhausted;
    private volatile Runnable listener = () -> {};

    // Guarded by this.
    private long peak;
    private long pauses;
    private long pausesLogged;
    private long lastLogNanos = System.nanoTime() - LOG_EVERY_NANOS;

    public PendingBudget(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("negative budget " + maxBytes);
        }
        this.max = maxBytes;
        this.resumeBelow = maxBytes - maxBytes / 4;
    }

    /** Called after each change of {@link #exhausted()}; set once, before the server serves. */
    public void onChange(Runnable listener) {
        this.listener = listener;
    }

    /** An echo of {@code bytes} (overhead included) is now held by the server. */
    public void add(long bytes) {
        if (unlimited()) {
            return;
        }
        long now = pending.addAndGet(bytes);
        if (now > max) {
            overBudget(now);
        }
    }

    /** {@code bytes} of held echo (overhead included) were sent or dropped. */
    public void remove(long bytes) {
        if (unlimited()) {
            return;
        }
        long now = pending.addAndGet(-bytes);
        if (exhausted && now < resumeBelow) {
            settle();
        }
    }

    private void overBudget(long now) {
        synchronized (this) {
            peak = Math.max(peak, now);
        }
        if (!exhausted) {
            settle();
        }
    }

    /**
     * Sets {@link #exhausted()} from the count as it is now, under the lock, and tells the listener if it moved.
     * It reads the count again after each flip: an echo sent between the read and the flip saw the old state and
     * left the change to this thread, so stopping after one flip could leave every reader paused with nothing
     * left to send.
     */
    private void settle() {
        boolean flipped = false;
        synchronized (this) {
            for (; ; ) {
                long now = pending.get();
                boolean want = exhausted ? now >= resumeBelow : now > max;
                if (want == exhausted) {
                    break;
                }
                exhausted = want;
                flipped = true;
                if (want) {
                    pauses++;
                    logPause(now);
                }
            }
        }
        if (flipped) {
            // Even a flip there and back: a connection may have paused itself on seeing it exhausted.
            listener.run();
        }
    }

    /** One line a second at most: a budget that is crossed over and over says how often, not each time. */
    private void logPause(long now) {
        long t = System.nanoTime();
        if (t - lastLogNanos < LOG_EVERY_NANOS) {
            return;
        }
        long since = pauses - pausesLogged;
        log.warn(
                "unsent echo reached {} B, over " + Name.MAX_PENDING_BYTES
                        + " {}: every connection stops reading until it drops below {}{}",
                now,
                ByteSizeConverter.format(max),
                ByteSizeConverter.format(resumeBelow),
                since > 1 ? " (" + since + " pauses since the last such line)" : "");
        pausesLogged = pauses;
        lastLogNanos = t;
    }

    /** True while no connection may read: the unsent echo went over the budget and is not yet below 3/4 of it. */
    public boolean exhausted() {
        return exhausted;
    }

    /** Whether this budget is off ({@code --max-pending-bytes 0}): it counts nothing and never pauses. */
    public boolean unlimited() {
        return max == 0;
    }

    /** The budget, in bytes ({@code --max-pending-bytes}); 0 when it is off. */
    public long max() {
        return max;
    }

    /** How much more echo fits before the budget is exhausted; 0 or less once it is. */
    public long room() {
        return max - pending.get();
    }

    /** The echo held now, overhead included. */
    public long pending() {
        return pending.get();
    }

    /** The most echo ever held beyond the budget (0 while never over it): how far the engines overshoot. */
    public synchronized long peakOverBudget() {
        return peak;
    }

    /** How many times the budget was exhausted. */
    public synchronized long pauses() {
        return pauses;
    }
}
