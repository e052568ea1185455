package lab.epoll.jmh.compare;

import java.util.List;
import java.util.Locale;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * The ratio B/A of one metric over paired trials, with a 95% confidence interval: the geometric mean of the
 * per-pair ratios and a Student-t interval on their logarithms. Ratios, not differences, because the VM's speed
 * drifts by tens of percent between runs and a drift scales both trials of a pair alike; logarithms, because a
 * ratio's error is multiplicative (2x and 0.5x are equally far from 1).
 *
 * @param ratio the geometric mean of the pairs' B/A
 * @param low   the interval's lower end (NaN with fewer than two pairs)
 * @param high  the interval's upper end (NaN with fewer than two pairs)
 * @param pairs how many pairs had the metric
 */
public record RatioInterval(double ratio, double low, double high, int pairs) {
    static final double CONFIDENCE = 0.95;

    /** From the metric's values in each pair, A's and B's in the same order; pairs missing either are skipped. */
    public static RatioInterval of(List<Double> a, List<Double> b) {
        if (a.size() != b.size()) {
            throw new IllegalArgumentException(a.size() + " A values but " + b.size() + " B values");
        }
        double[] logs = new double[a.size()];
        int n = 0;
        for (int i = 0; i < a.size(); i++) {
            Double x = a.get(i);
            Double y = b.get(i);
            if (x != null && y != null && x > 0 && y > 0 && Double.isFinite(x) && Double.isFinite(y)) {
                logs[n++] = Math.log(y / x);
            }
        }
        if (n == 0) {
            return new RatioInterval(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += logs[i];
        }
        mean /= n;
        if (n < 2) {
            return new RatioInterval(Math.exp(mean), Double.NaN, Double.NaN, n);
        }
        double squares = 0;
        for (int i = 0; i < n; i++) {
            squares += (logs[i] - mean) * (logs[i] - mean);
        }
        double standardError = Math.sqrt(squares / (n - 1) / n);
        double t = new TDistribution(n - 1).inverseCumulativeProbability(1 - (1 - CONFIDENCE) / 2);
        return new RatioInterval(
                Math.exp(mean), Math.exp(mean - t * standardError), Math.exp(mean + t * standardError), n);
    }

    /** Whether the interval lies wholly on one side of 1: B and A differ at this confidence. */
    public boolean excludesOne() {
        return low > 1 || high < 1;
    }

    /** {@code 1.01 [0.98, 1.04]}, or {@code —} without data. */
    public String text() {
        if (pairs == 0) {
            return "—";
        }
        String point = String.format(Locale.ROOT, "%.3f", ratio);
        return Double.isNaN(low) ? point + " [n/a]" : point + String.format(Locale.ROOT, " [%.3f, %.3f]", low, high);
    }
}
