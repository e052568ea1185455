package lab.epoll.report;

import java.awt.Color;
import java.util.Comparator;
import java.util.List;
import lab.epoll.catalog.ServerVariant;

/**
 * The order and colour each server variant has in every table and chart, so a reader learns them once: the
 * registry's order ({@link ServerVariant#all()}), and a colour by position in it from one palette. Variants not in
 * the registry (an old results file) sort after these, by name, in a neutral grey.
 */
final class Variants {
    private static final List<String> KNOWN = ServerVariant.names();

    /** Matplotlib's "tab20" pairs' dark tones first, then their light ones: distinct side by side. */
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0x17becf), new Color(0x2ca02c), new Color(0x9467bd), new Color(0xff7f0e),
        new Color(0xd62728), new Color(0x8c564b), new Color(0xe377c2), new Color(0xbcbd22), new Color(0xaec7e8),
        new Color(0x98df8a), new Color(0xffbb78), new Color(0xc5b0d5), new Color(0xc49c94),
    };

    private static final Color OTHER = new Color(0x7f7f7f);

    private Variants() {}

    static Comparator<String> order() {
        return Comparator.comparingInt(Variants::rank).thenComparing(Comparator.naturalOrder());
    }

    static Color color(String variant) {
        int i = KNOWN.indexOf(variant);
        return i < 0 ? OTHER : PALETTE[i % PALETTE.length];
    }

    private static int rank(String variant) {
        int i = KNOWN.indexOf(variant);
        return i < 0 ? KNOWN.size() : i;
    }
}
