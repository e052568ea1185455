package lab.epoll.report;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

/** JMH keeps every {@code @Param} as text; the report orders them as numbers when they are, so 50 sorts before 1000. */
final class ParamValues {
    private ParamValues() {}

    static int compare(String a, String b) {
        Long x = asLong(a);
        Long y = asLong(b);
        if (x != null && y != null) {
            return Long.compare(x, y);
        }
        if (x != null || y != null) {
            return x != null ? -1 : 1;
        }
        return a.compareTo(b);
    }

    /** The distinct values the trials have for a parameter, in order; trials without it are skipped. */
    static List<String> distinct(Collection<Trial> trials, String name) {
        return trials.stream()
                .map(t -> t.params().get(name))
                .filter(Objects::nonNull)
                .distinct()
                .sorted(ParamValues::compare)
                .toList();
    }

    /** The middle value of a parameter: the one a chart shows when it can show only one (512 of 64/512/16384). */
    static String median(Collection<Trial> trials, String name) {
        List<String> values = distinct(trials, name);
        return values.isEmpty() ? "" : values.get(values.size() / 2);
    }

    private static Long asLong(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
