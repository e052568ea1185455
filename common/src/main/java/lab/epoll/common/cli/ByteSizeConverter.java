package lab.epoll.common.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads byte sizes: {@code 65536}, {@code 64k}, {@code 1m}, {@code 1g} (binary units: k = 1024), below 2 GiB. */
public final class ByteSizeConverter implements ITypeConverter<Integer> {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?");

    @Override
    public Integer convert(String value) {
        Matcher m = SIZE.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new TypeConversionException("'" + value + "' is not a size (e.g. 65536, 64k, 1m)");
        }
        try {
            long amount = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "b" : m.group(2);
            long multiplier = unit.startsWith("k")
                    ? 1024L
                    : unit.startsWith("m") ? 1024L * 1024 : unit.startsWith("g") ? 1024L * 1024 * 1024 : 1L;
            return Math.toIntExact(Math.multiplyExact(amount, multiplier));
        } catch (ArithmeticException | NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not below 2 GiB");
        }
    }

    /** The shortest exact spelling of a size, as help and startup lines print it. */
    public static String format(long bytes) {
        if (bytes != 0 && bytes % (1024L * 1024) == 0) {
            return bytes / (1024L * 1024) + "m";
        }
        if (bytes != 0 && bytes % 1024L == 0) {
            return bytes / 1024L + "k";
        }
        return Long.toString(bytes);
    }
}
