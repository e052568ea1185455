package lab.epoll.catalog;

import java.util.Locale;

/**
 * How the report writes numbers: about three significant digits (more would claim a precision a short JMH run
 * does not have), thousands separated, the margin at the value's precision and "n/a" when JMH had none.
 */
public final class Numbers {
    /** A cell for a metric the trial did not measure (e.g. syscalls when perf could not count). */
    public static final String MISSING = "—";

    public static final String NO_MARGIN = "n/a";

    private Numbers() {}

    /** {@code 49,316 ± 1,204}, or {@code 15.2 ± n/a} when the margin is not finite. */
    public static String withError(double score, double error) {
        String pattern = pattern(score);
        String margin = Double.isFinite(error) ? format(pattern, error) : NO_MARGIN;
        return format(pattern, score) + " ± " + margin;
    }

    /** Relative change from a baseline, e.g. {@code +12.3%}; {@link #MISSING} without a usable baseline. */
    public static String change(double baseline, double value) {
        if (!Double.isFinite(baseline) || !Double.isFinite(value) || baseline == 0) {
            return MISSING;
        }
        return String.format(Locale.ROOT, "%+.1f%%", (value / baseline - 1) * 100);
    }

    /** Bytes as a reader says them: 64 B, 512 B, 16 KiB, 1 MiB. */
    public static String bytes(String bytes) {
        try {
            long n = Long.parseLong(bytes.trim());
            if (n >= 1 << 20 && n % (1 << 20) == 0) {
                return (n >> 20) + " MiB";
            }
            if (n >= 1 << 10 && n % (1 << 10) == 0) {
                return (n >> 10) + " KiB";
            }
            return n + " B";
        } catch (NumberFormatException e) {
            return bytes;
        }
    }

    /** A count with thousands separators when it is a number, e.g. 10,000 idle connections. */
    public static String count(String count) {
        try {
            return String.format(Locale.ROOT, "%,d", Long.parseLong(count.trim()));
        } catch (NumberFormatException e) {
            return count;
        }
    }

    /** A bare value at about three significant digits, e.g. {@code 49,316}, {@code 15.2}, {@code 0.417}. */
    public static String rounded(double value) {
        return format(pattern(value), value);
    }

    private static String pattern(double value) {
        double abs = Math.abs(value);
        return abs >= 100 || abs == 0 ? "%,.0f" : abs >= 10 ? "%.1f" : abs >= 1 ? "%.2f" : "%.3f";
    }

    private static String format(String pattern, double value) {
        return String.format(Locale.ROOT, pattern, value);
    }
}
