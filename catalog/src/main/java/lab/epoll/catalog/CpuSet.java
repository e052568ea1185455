package lab.epoll.catalog;

import java.util.BitSet;

/**
 * A set of CPUs in the kernel's list syntax ({@code 1}, {@code 2-3}, {@code 0,2,4-5}), as {@code taskset -c}
 * takes it and as the harness records where a trial's server and client ran. {@code all} means no pinning.
 */
public record CpuSet(String text, BitSet cpus) {
    /** Not pinned: the process may run on every CPU. */
    public static final String ALL = "all";

    public CpuSet {
        cpus = (BitSet) cpus.clone();
    }

    /** Parses a CPU list; throws {@link IllegalArgumentException} with a one-line reason for bad text. */
    public static CpuSet parse(String text) {
        String trimmed = text.trim();
        BitSet cpus = new BitSet();
        if (trimmed.equals(ALL)) {
            cpus.set(0, Runtime.getRuntime().availableProcessors());
            return new CpuSet(ALL, cpus);
        }
        try {
            for (String part : trimmed.split(",")) {
                String[] range = part.split("-", -1);
                int low = Integer.parseInt(range[0].trim());
                int high = range.length == 2 ? Integer.parseInt(range[1].trim()) : low;
                if (range.length > 2 || low < 0 || high < low || high > 4095) {
                    throw new NumberFormatException();
                }
                cpus.set(low, high + 1);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a CPU list such as 1, 2-3 or 0,2 (or " + ALL + ")");
        }
        return new CpuSet(trimmed, cpus);
    }

    /**
     * The default layout on this machine: the client on the lower half of the CPUs, the server on the upper half
     * (on 2 CPUs: client on CPU 0, server on CPU 1). With one CPU there is nothing to split: both run on it.
     */
    public static CpuSet[] defaultServerAndClient(int processors) {
        if (processors < 2) {
            return new CpuSet[] {parse(ALL), parse(ALL)};
        }
        int clientCount = processors / 2;
        return new CpuSet[] {parse(range(clientCount, processors - 1)), parse(range(0, clientCount - 1))};
    }

    private static String range(int low, int high) {
        return low == high ? Integer.toString(low) : low + "-" + high;
    }

    public boolean pinned() {
        return !text.equals(ALL);
    }

    public int size() {
        return cpus.cardinality();
    }

    public boolean overlaps(CpuSet other) {
        return cpus.intersects(other.cpus);
    }

    @Override
    public String toString() {
        return text;
    }
}
