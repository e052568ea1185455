package lab.epoll.jmh.compare;

import java.util.List;
import lab.epoll.catalog.ServerVariant;
import lab.epoll.catalog.TrialParam;

/**
 * {@code --compare}'s two sides: two variants ({@code lt,et}), or two values of one parameter for one variant
 * ({@code idleTimeout=0,60s -p variant=et}).
 */
public record ComparedSides(String param, String a, String b) {
    static final String FORMS = "two different variants, e.g. --compare lt,et, or two values of one parameter,"
            + " e.g. --compare idleTimeout=0,60s -p variant=et";

    /** Reads {@code lt,et} or {@code PARAM=A,B}; a mistake is an {@link IllegalArgumentException} saying which. */
    public static ComparedSides parse(String text) {
        int equals = text.indexOf('=');
        String param = equals < 0 ? TrialParam.VARIANT.field() : text.substring(0, equals);
        List<String> sides = List.of(text.substring(equals + 1).split(",", -1));
        if (param.isEmpty() || sides.size() != 2 || sides.get(0).equals(sides.get(1))) {
            throw new IllegalArgumentException("--compare takes " + FORMS + ", not '" + text + "'");
        }
        ComparedSides compared = new ComparedSides(param, sides.get(0), sides.get(1));
        if (compared.ofVariants()) {
            for (String side : sides) {
                if (!ServerVariant.names().contains(side)) {
                    throw new IllegalArgumentException(
                            "--compare: no variant '" + side + "'; known: " + ServerVariant.names());
                }
            }
        }
        return compared;
    }

    /** Whether the sides are variants rather than two values of another parameter. */
    public boolean ofVariants() {
        return param.equals(TrialParam.VARIANT.field());
    }

    /** {@code lt and et}, or {@code idleTimeout=0 and 60s}, as the run's first line says it. */
    public String shown() {
        return (ofVariants() ? "" : param + "=") + a + " and " + b;
    }
}
