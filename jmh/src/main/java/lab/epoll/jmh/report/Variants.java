package lab.epoll.jmh.report;

import java.awt.Color;
import java.util.Comparator;
import java.util.List;

/**
 * The order and colour each server variant has in every table and chart, so a reader learns them once: the
 * Netty epoll modes first (blues/greens), then the NIO baselines (oranges, poll(2) in red because it is the
 * one without epoll). Variants the lab adds later sort after these, by name, in a neutral colour.
 */
final class Variants {
    static final List<String> KNOWN = List.of("lt", "et", "oneshot-netty", "oneshot-kernel", "nio-epoll", "nio-poll");

    private static final Color[] COLORS = {
        new Color(0x1f77b4), // lt
        new Color(0x17becf), // et
        new Color(0x2ca02c), // oneshot-netty
        new Color(0x9467bd), // oneshot-kernel
        new Color(0xff7f0e), // nio-epoll
        new Color(0xd62728), // nio-poll
    };
    private static final Color OTHER = new Color(0x7f7f7f);

    private Variants() {
    }

    static Comparator<String> order() {
        return Comparator.comparingInt(Variants::rank).thenComparing(Comparator.naturalOrder());
    }

    static Color color(String variant) {
        int i = KNOWN.indexOf(variant);
        return i < 0 ? OTHER : COLORS[i];
    }

    private static int rank(String variant) {
        int i = KNOWN.indexOf(variant);
        return i < 0 ? KNOWN.size() : i;
    }
}
