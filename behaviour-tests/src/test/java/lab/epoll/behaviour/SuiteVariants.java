package lab.epoll.behaviour;

import java.util.Arrays;
import java.util.List;
import lab.epoll.catalog.ServerVariant;

/**
 * The variants this run of the suite covers: every one ({@link ServerVariant#all()}), unless {@code lab.variants}
 * names some (e.g. {@code -Dlab.variants=uring,uring-4.2}) to run a heavy case on those alone. An unknown name
 * fails the run rather than selecting nothing.
 */
final class SuiteVariants {
    private SuiteVariants() {
    }

    static List<ServerVariant> selected() {
        String names = System.getProperty("lab.variants", "").trim();
        if (names.isEmpty()) {
            return ServerVariant.all();
        }
        return Arrays.stream(names.split(",")).map(String::trim).map(ServerVariant::named).toList();
    }
}
