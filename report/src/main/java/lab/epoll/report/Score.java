package lab.epoll.report;

import java.util.Optional;
import lab.epoll.catalog.Numbers;

/**
 * One JMH score with its error margin, as results.json gives it.
 *
 * <p>JMH writes the margin as the string {@code "NaN"} when it cannot compute one (too few iterations); that
 * becomes {@link Double#NaN} here, and the report shows "n/a" rather than pretending the margin is zero.
 *
 * @param score the score (mean over iterations, or the maximum for peak metrics such as RSS)
 * @param error the 99.9% confidence half-width, or NaN
 * @param unit  JMH's unit text, e.g. {@code ops/s}, {@code us}, {@code calls/op}
 */
public record Score(double score, double error, String unit) {
    /** Whether JMH computed a margin; with one fork and few iterations it often cannot. */
    public boolean hasError() {
        return Double.isFinite(error);
    }

    /** {@code 49,316 ± 1,204}, {@code 15.2 ± n/a}. */
    public String text() {
        return Numbers.withError(score, error);
    }

    /** As {@link #text()}, or {@link Numbers#MISSING} when the trial did not measure it. */
    static String text(Optional<Score> score) {
        return score.isPresent() ? score.get().text() : Numbers.MISSING;
    }

    static String text(Score score) {
        return score.text();
    }
}
