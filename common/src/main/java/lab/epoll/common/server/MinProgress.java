package lab.epoll.common.server;

/**
 * The {@code --min-progress} rule for one connection: it counts as active only once it has moved that many
 * bytes since it last did, so a peer that trickles a byte every few seconds runs into the idle timeout like a
 * silent one. At 0 (the default) every byte counts, as before the rule.
 *
 * <p>Not thread-safe: owned by whichever thread moves the connection's bytes; the caller stamps its own clock
 * when {@link #moved} says so.
 */
public final class MinProgress {
    private final long minBytes;
    private long movedSince;

    public MinProgress(long minBytes) {
        this.minBytes = minBytes;
    }

    /** Counts {@code bytes} read or written; true when the connection has now made progress (and starts over). */
    public boolean moved(long bytes) {
        movedSince += bytes;
        if (movedSince < minBytes || bytes <= 0) {
            return false;
        }
        movedSince = 0;
        return true;
    }
}
