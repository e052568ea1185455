package lab.epoll.common.server;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log lines for connections the peer broke (resets, broken pipes): one line each, up to
 * {@link #LINES_PER_SECOND} a second for the whole process; beyond that the failures are counted by reason and
 * said in one summary line, e.g. {@code 9,480 more connections failed in the last 1.2 s: Connection reset by peer
 * (9,480)}. A reset storm of 10,000 connections used to write 10,000 lines in 2-3 s; it is still counted in
 * {@code errors=}, and the log stays readable. The summary is written when the next failure comes after the
 * second is over, and by {@link #flush()} at shutdown, so no failure goes unsaid.
 */
public final class PeerFailureLog {
    static final int LINES_PER_SECOND = 20;
    private static final Logger log = LoggerFactory.getLogger(PeerFailureLog.class);
    private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static long windowStart = System.nanoTime();
    private static int logged;
    private static final Map<String, Integer> unsaid = new LinkedHashMap<>();

    private PeerFailureLog() {}

    /** A connection failed for {@code reason} (the I/O error's message) and is being closed. */
    public static synchronized void failed(String connection, String reason) {
        long now = System.nanoTime();
        if (now - windowStart >= WINDOW_NANOS) {
            summarise(now);
            windowStart = now;
            logged = 0;
        }
        if (logged < LINES_PER_SECOND) {
            logged++;
            log.warn("{} failed: {}; closing it", connection, reason);
        } else {
            unsaid.merge(String.valueOf(reason), 1, Integer::sum);
        }
    }

    /** Says what was counted but not yet said; the servers call it when they stop. */
    public static synchronized void flush() {
        summarise(System.nanoTime());
    }

    private static void summarise(long now) {
        if (unsaid.isEmpty()) {
            return;
        }
        int total = unsaid.values().stream().mapToInt(Integer::intValue).sum();
        String reasons = unsaid.entrySet().stream()
                .map(e -> e.getKey() + " (" + String.format(Locale.ROOT, "%,d", e.getValue()) + ")")
                .collect(Collectors.joining(", "));
        log.warn(
                "{} more connections failed in the last {} s: {}",
                String.format(Locale.ROOT, "%,d", total),
                String.format(Locale.ROOT, "%.1f", (now - windowStart) / 1e9),
                reasons);
        unsaid.clear();
    }
}
