package lab.epoll.jmh.compare;

import java.util.List;
import java.util.Locale;
import lab.epoll.catalog.Metric;
import lab.epoll.jmh.TrialSummary;

/**
 * {@code --precision 3%}: a comparison runs pairs until the 95% intervals of the ratios that settle a verdict
 * (throughput and the server's CPU per echo) are at most that wide either side of the ratio, or until the pair
 * limit, and then says which it was: a machine too noisy for the precision asked gets named as such, not a table
 * that looks like an answer.
 */
public record Precision(double halfWidth) {
    /** The ratios a comparison must pin down; the others (syscall counts) are exact or follow from these. */
    static final List<Metric> SETTLING = List.of(Metric.ECHOES, Metric.SERVER_CPU_PER_OP);
    /** Fewer pairs give an interval from one or two degrees of freedom: narrow by luck, not by measurement. */
    static final int MIN_PAIRS = 3;
    /** The pairs a comparison with a precision runs at most, unless {@code --pairs} says otherwise. */
    public static final int DEFAULT_PAIR_LIMIT = 20;

    public Precision {
        if (!(halfWidth > 0 && halfWidth < 1)) {
            throw new IllegalArgumentException("--precision must be between 0% and 100%, e.g. 3%");
        }
    }

    /** {@code 3%} or {@code 0.03}. */
    public static Precision parse(String text) {
        try {
            String t = text.trim();
            double value =
                    t.endsWith("%") ? Double.parseDouble(t.substring(0, t.length() - 1)) / 100 : Double.parseDouble(t);
            return new Precision(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--precision takes a percentage, e.g. 3% (or 0.03), not '" + text + "'");
        }
    }

    /** How wide the interval is either side of the ratio, as a share of it; NaN with fewer than two pairs. */
    static double halfWidth(RatioInterval interval) {
        return (interval.high() - interval.low()) / 2 / interval.ratio();
    }

    /** Whether every settling ratio's interval is as narrow as asked, with at least {@link #MIN_PAIRS} pairs. */
    boolean reached(List<TrialSummary> as, List<TrialSummary> bs) {
        if (as.size() < MIN_PAIRS) {
            return false;
        }
        for (Metric metric : SETTLING) {
            RatioInterval interval = interval(metric, as, bs);
            if (interval.pairs() >= 2 && !(halfWidth(interval) <= halfWidth)) {
                return false;
            }
        }
        return true;
    }

    /** {@code echoes/s ±4.1%, srv CPU us/op ±2.9% (asked: ±3.0%)}. */
    String progress(List<TrialSummary> as, List<TrialSummary> bs) {
        StringBuilder text = new StringBuilder();
        for (Metric metric : SETTLING) {
            RatioInterval interval = interval(metric, as, bs);
            if (interval.pairs() < 2) {
                continue;
            }
            text.append(text.length() == 0 ? "" : ", ")
                    .append(metric.header())
                    .append(String.format(Locale.ROOT, " ±%.1f%%", 100 * halfWidth(interval)));
        }
        return text + String.format(Locale.ROOT, " (asked: ±%.1f%%)", 100 * halfWidth);
    }

    public String asked() {
        return String.format(Locale.ROOT, "±%.1f%%", 100 * halfWidth);
    }

    private static RatioInterval interval(Metric metric, List<TrialSummary> as, List<TrialSummary> bs) {
        return RatioInterval.of(
                as.stream().map(t -> t.value(metric)).toList(),
                bs.stream().map(t -> t.value(metric)).toList());
    }
}
