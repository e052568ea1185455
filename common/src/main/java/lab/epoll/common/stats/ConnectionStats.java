package lab.epoll.common.stats;

import java.util.concurrent.atomic.LongAdder;

/**
 * The server's counters. Every event loop thread adds to them; {@link LongAdder} keeps those additions from
 * contending on one cache line, and readers (stats lines, the shutdown summary) sum them when asked.
 */
public final class ConnectionStats {
    private final LongAdder accepted = new LongAdder();
    private final LongAdder closed = new LongAdder();
    private final LongAdder closedIdle = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();

    public void accepted() {
        accepted.increment();
    }

    public void closed() {
        closed.increment();
    }

    public void closedIdle() {
        closedIdle.increment();
    }

    public void refused() {
        refused.increment();
    }

    public void error() {
        errors.increment();
    }

    public void bytesIn(long n) {
        bytesIn.add(n);
    }

    public void bytesOut(long n) {
        bytesOut.add(n);
    }

    public Snapshot snapshot() {
        long acceptedNow = accepted.sum();
        long closedNow = closed.sum();
        return new Snapshot(
                acceptedNow,
                acceptedNow - closedNow,
                closedNow,
                closedIdle.sum(),
                refused.sum(),
                errors.sum(),
                bytesIn.sum(),
                bytesOut.sum());
    }

    /** The counters at one moment; {@code toString} is the {@code key=value} form the logs and summary print. */
    public record Snapshot(
            long accepted,
            long active,
            long closed,
            long closedIdle,
            long refused,
            long errors,
            long bytesIn,
            long bytesOut) {
        @Override
        public String toString() {
            return "accepted=" + accepted + " active=" + active + " closed=" + closed + " closed-idle=" + closedIdle
                    + " refused=" + refused + " errors=" + errors + " bytes-in=" + bytesIn + " bytes-out=" + bytesOut;
        }
    }
}
