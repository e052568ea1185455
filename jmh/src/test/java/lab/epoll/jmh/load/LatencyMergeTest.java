package lab.epoll.jmh.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import lab.epoll.jmh.metrics.LatencyLog;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Merging the round trips of several client loops (or processes, or hosts) gives the percentiles of one
 * histogram of all their samples, exactly; averaging each loop's percentiles does not, and the test shows by how
 * much when one loop is slow. A real load of several loops is {@link LoopLatenciesIT}'s.
 */
class LatencyMergeTest {
    private static final int LOOPS = 4;
    private static final int SAMPLES_PER_LOOP = 50_000;
    private static final double[] PERCENTILES = {50, 90, 99, 99.9, 99.99, 100};

    /** Loop i's round trips: log-normal-ish around 50 us, the last loop ten times slower. */
    private static long sample(SplittableRandom random, int loop) {
        double scale = loop == LOOPS - 1 ? 500_000 : 50_000;
        return Math.max(1, (long) (scale * Math.exp(random.nextGaussian() * 0.5)));
    }

    @Test
    void mergedLoopsHaveThePercentilesOfOneHistogramOfEverySample() {
        LoopLatencies loops = new LoopLatencies(LOOPS);
        Histogram all = new Histogram(LoopLatencies.HIGHEST_NANOS, LoopLatencies.SIGNIFICANT_DIGITS);
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < SAMPLES_PER_LOOP; i++) {
            for (int loop = 0; loop < LOOPS; loop++) {
                long nanos = sample(random, loop);
                loops.record(loop, nanos);
                all.recordValue(nanos);
            }
        }
        List<Histogram> perLoop = loops.takePerLoop();
        Histogram merged = LoopLatencies.merge(perLoop);

        assertThat(merged.getTotalCount()).isEqualTo(all.getTotalCount()).isEqualTo((long) LOOPS * SAMPLES_PER_LOOP);
        for (double p : PERCENTILES) {
            assertThat(merged.getValueAtPercentile(p)).as("p%s merged", p).isEqualTo(all.getValueAtPercentile(p));
        }
        // What the merge guards against: the mean of the loops' own p99s is not the load's p99 (the slow loop is a
        // quarter of the samples, so the load's p99 is deep in its tail while the average sits between).
        double averagedP99 = perLoop.stream()
                .mapToLong(h -> h.getValueAtPercentile(99))
                .average()
                .orElseThrow();
        System.out.printf(
                "p99 of all samples %.1f us, merged %.1f us, mean of the %d loops' p99 %.1f us%n",
                all.getValueAtPercentile(99) / 1e3, merged.getValueAtPercentile(99) / 1e3, LOOPS, averagedP99 / 1e3);
        assertThat(Math.abs(averagedP99 - all.getValueAtPercentile(99)) / all.getValueAtPercentile(99))
                .as("relative error of averaging percentiles")
                .isGreaterThan(0.2);
        assertThat(loops.takeMerged().getTotalCount())
                .as("an interval is taken once")
                .isZero();
    }

    @Test
    void logsWrittenByEachLoadMergeToTheSameHistogram(@TempDir Path dir) {
        SplittableRandom random = new SplittableRandom(7);
        Histogram all = new Histogram(LoopLatencies.HIGHEST_NANOS, LoopLatencies.SIGNIFICANT_DIGITS);
        List<Path> logs = new ArrayList<>();
        for (int load = 0; load < LOOPS; load++) {
            Path log = dir.resolve("load-" + load + ".hlog");
            for (int iteration = 0; iteration < 3; iteration++) {
                Histogram interval = new Histogram(LoopLatencies.HIGHEST_NANOS, LoopLatencies.SIGNIFICANT_DIGITS);
                interval.setStartTimeStamp(1_000_000L + iteration * 1000L);
                interval.setEndTimeStamp(1_000_000L + iteration * 1000L + 999);
                for (int i = 0; i < 10_000; i++) {
                    long nanos = sample(random, load);
                    interval.recordValue(nanos);
                    all.recordValue(nanos);
                }
                LatencyLog.appendTo(log, "load " + load, interval);
            }
            logs.add(log);
        }
        Histogram merged = LatencyLog.merge(logs);
        assertThat(merged.getTotalCount()).isEqualTo(all.getTotalCount());
        for (double p : PERCENTILES) {
            assertThat(merged.getValueAtPercentile(p))
                    .as("p%s merged from the logs", p)
                    .isEqualTo(all.getValueAtPercentile(p));
        }
    }
}
