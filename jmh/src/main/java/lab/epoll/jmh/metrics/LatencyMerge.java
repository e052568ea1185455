package lab.epoll.jmh.metrics;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import lab.epoll.jmh.load.LoopLatencies;
import org.HdrHistogram.Histogram;

/**
 * {@code --merge-latencies FILE...}: the round trips of loads run as several processes or on several hosts
 * against one server (each with {@code --latency-log DIR}), one line per log and the merged line: every round
 * trip of every load in one histogram, so the percentiles are those of the server's whole load.
 */
public final class LatencyMerge {
    private LatencyMerge() {}

    /** The table, as Markdown; fails with a one-line message naming a file that is missing or not a log. */
    public static String table(List<Path> files) {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("--merge-latencies needs the .hlog files to merge");
        }
        StringBuilder out = new StringBuilder(
                "| latency log | round trips | p50 us | p99 us | p99.9 us | max us |\n|---|---:|---:|---:|---:|---:|\n");
        List<Histogram> parts = new ArrayList<>();
        for (Path file : files) {
            Histogram h = LatencyLog.read(file);
            parts.add(h);
            out.append(row(file.getFileName().toString(), h));
        }
        out.append(row("**merged**", LoopLatencies.merge(parts)));
        return out.toString();
    }

    private static String row(String name, Histogram h) {
        return String.format(
                Locale.ROOT,
                "| %s | %,d | %.1f | %.1f | %.1f | %.1f |%n",
                name,
                h.getTotalCount(),
                h.getValueAtPercentile(50) / 1e3,
                h.getValueAtPercentile(99) / 1e3,
                h.getValueAtPercentile(99.9) / 1e3,
                h.getMaxValue() / 1e3);
    }
}
