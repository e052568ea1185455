package lab.epoll.jmh.load;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * Round trips recorded by several client event loops, one histogram each (its loop is the only writer, so no
 * loop waits for another to record), merged when an interval is taken. Merging adds the counts bucket by bucket
 * ({@link Histogram#add}): the merged percentiles are exactly those of one histogram of every sample, which
 * averaging the loops' own percentiles is not (the fast loops would dilute a slow loop's tail). Across processes
 * and hosts it is the same: {@link lab.epoll.jmh.metrics.LatencyLog} writes each one's intervals and merges them
 * with {@link #merge}.
 */
public final class LoopLatencies {
    /** Round trips up to 60 s at 3 significant digits: HdrHistogram's usual resolution for latency. */
    public static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(60);

    public static final int SIGNIFICANT_DIGITS = 3;

    private final List<SingleWriterRecorder> loops = new ArrayList<>();

    public LoopLatencies(int loops) {
        if (loops < 1) {
            throw new IllegalArgumentException("at least one loop, not " + loops);
        }
        for (int i = 0; i < loops; i++) {
            this.loops.add(new SingleWriterRecorder(HIGHEST_NANOS, SIGNIFICANT_DIGITS));
        }
    }

    /** Called on loop {@code loop}'s own thread only: one round trip of {@code nanos}. */
    public void record(int loop, long nanos) {
        loops.get(loop).recordValue(Math.min(nanos, HIGHEST_NANOS));
    }

    /** Each loop's round trips since the last call, in loop order. */
    public synchronized List<Histogram> takePerLoop() {
        List<Histogram> intervals = new ArrayList<>(loops.size());
        for (SingleWriterRecorder loop : loops) {
            intervals.add(loop.getIntervalHistogram());
        }
        return intervals;
    }

    /** Every loop's round trips since the last call, in one histogram. */
    public Histogram takeMerged() {
        return merge(takePerLoop());
    }

    /**
     * One histogram holding every sample of {@code parts}, their counts added bucket by bucket, and spanning
     * their time stamps (earliest start, latest end).
     */
    public static Histogram merge(Collection<? extends Histogram> parts) {
        Histogram merged = new Histogram(HIGHEST_NANOS, SIGNIFICANT_DIGITS);
        long start = Long.MAX_VALUE;
        long end = 0;
        for (Histogram part : parts) {
            merged.add(part);
            if (part.getStartTimeStamp() > 0) {
                start = Math.min(start, part.getStartTimeStamp());
            }
            end = Math.max(end, part.getEndTimeStamp());
        }
        merged.setStartTimeStamp(start == Long.MAX_VALUE ? 0 : start);
        merged.setEndTimeStamp(end);
        return merged;
    }
}
