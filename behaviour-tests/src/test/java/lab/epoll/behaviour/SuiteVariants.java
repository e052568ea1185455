package lab.epoll.behaviour;

import java.util.Arrays;
import java.util.List;
import lab.epoll.catalog.JavaRuntime;
import lab.epoll.catalog.ServerVariant;

/**
 * The variants this run of the suite covers: every one ({@link ServerVariant#all()}), unless {@code lab.variants}
 * names some (e.g. {@code -Dlab.variants=uring,uring-4.2}) to run a heavy case on those alone. An unknown name
 * fails the run rather than selecting nothing. A variant that needs a newer Java than this machine has
 * ({@link JavaRuntime#forVariant}) is left out, with one line on stderr saying which and why.
 */
final class SuiteVariants {
    private static final List<ServerVariant> SELECTED = select();

    private SuiteVariants() {}

    static List<ServerVariant> selected() {
        return SELECTED;
    }

    private static List<ServerVariant> select() {
        String names = System.getProperty("lab.variants", "").trim();
        List<ServerVariant> wanted = names.isEmpty()
                ? ServerVariant.all()
                : Arrays.stream(names.split(","))
                        .map(String::trim)
                        .map(ServerVariant::named)
                        .toList();
        return JavaRuntime.runnable(wanted, why -> System.err.println("behaviour suite: skipping " + why));
    }
}
