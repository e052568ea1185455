package lab.epoll.common.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads durations the way people type them: {@code 500ms}, {@code 2s}, {@code 1m}, {@code 50us}, or {@code 0}.
 * A bare number other than zero is refused: "60" could mean seconds or milliseconds, and guessing is worse
 * than asking.
 */
public final class DurationConverter implements ITypeConverter<Duration> {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(us|ms|s|m|h)?");

    @Override
    public Duration convert(String value) {
        Matcher m = DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new TypeConversionException("'" + value + "' is not a duration (e.g. 500ms, 2s, 1m, 0)");
        }
        long amount;
        try {
            amount = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is too large");
        }
        String unit = m.group(2);
        if (unit == null) {
            if (amount != 0) {
                throw new TypeConversionException("'" + value + "' needs a unit (us, ms, s, m or h)");
            }
            return Duration.ZERO;
        }
        try {
            Duration d = switch (unit) {
                case "us" -> Duration.ofNanos(Math.multiplyExact(amount, 1000L));
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
            d.toNanos(); // timers and waits take nanoseconds: a duration that has none would overflow them later
            return d;
        } catch (ArithmeticException e) {
            throw new TypeConversionException("'" + value + "' is too large (at most " + MAX.toHours() + "h)");
        }
    }

    /** The longest duration whose nanoseconds fit a long, about 292 years: what Netty's timers can take. */
    static final Duration MAX = Duration.ofNanos(Long.MAX_VALUE);

    /** The inverse of {@link #convert} for what the startup line prints: whole seconds as {@code 60s}, else ms or us. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0";
        }
        long nanos = d.toNanos();
        if (nanos % 1_000_000_000L == 0) {
            return nanos / 1_000_000_000L + "s";
        }
        if (nanos % 1_000_000L == 0) {
            return nanos / 1_000_000L + "ms";
        }
        return nanos / 1000L + "us";
    }
}
