package lab.epoll.jmh.report;

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
public record Metric(double score, double error, String unit) {
    /** Whether JMH computed a margin; with one fork and few iterations it often cannot. */
    public boolean hasError() {
        return Double.isFinite(error);
    }
}
