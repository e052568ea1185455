package lab.epoll.process;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's counters as it prints them: the {@code stopped: ...} summary on stdout after a graceful shutdown,
 * and the {@code stats: ...} lines {@code --stats-interval} logs to stderr, which add {@code pending-out=} (echo
 * bytes queued but not yet taken by the kernel), {@code direct-memory=} (direct memory the allocator holds),
 * {@code budget-pauses=} and {@code budget-peak=} (how often {@code --max-pending-bytes} paused every reader, and
 * the most unsent echo it counted past that bound).
 *
 * @param pendingOut   {@code -1} on the summary line, which does not carry it
 * @param directMemory {@code -1} on the summary line, or when the allocator cannot tell
 * @param budgetPauses {@code -1} on the summary line
 * @param budgetPeak   {@code -1} on the summary line; 0 while the budget was never exceeded
 */
public record ServerCounters(
        long accepted,
        long active,
        long closed,
        long closedIdle,
        long refused,
        long errors,
        long bytesIn,
        long bytesOut,
        long pendingOut,
        long directMemory,
        long budgetPauses,
        long budgetPeak) {
    private static final Pattern FIELD = Pattern.compile("([a-z-]+)=(-?\\d+)");

    /** Parses the {@code key=value} fields after {@code marker} (e.g. {@code "stats: "}) in {@code line}. */
    public static ServerCounters parse(String line, String marker) {
        int at = line.indexOf(marker);
        if (at < 0) {
            throw new IllegalArgumentException("no '" + marker + "' in: " + line);
        }
        Map<String, Long> fields = new HashMap<>();
        Matcher m = FIELD.matcher(line.substring(at + marker.length()));
        while (m.find()) {
            fields.put(m.group(1), Long.parseLong(m.group(2)));
        }
        for (String required :
                List.of("accepted", "active", "closed", "closed-idle", "refused", "errors", "bytes-in", "bytes-out")) {
            if (!fields.containsKey(required)) {
                throw new IllegalArgumentException("no " + required + "= in: " + line);
            }
        }
        return new ServerCounters(
                fields.get("accepted"),
                fields.get("active"),
                fields.get("closed"),
                fields.get("closed-idle"),
                fields.get("refused"),
                fields.get("errors"),
                fields.get("bytes-in"),
                fields.get("bytes-out"),
                fields.getOrDefault("pending-out", -1L),
                fields.getOrDefault("direct-memory", -1L),
                fields.getOrDefault("budget-pauses", -1L),
                fields.getOrDefault("budget-peak", -1L));
    }

    /** True for a {@code --stats-interval} line of the server's log. */
    public static boolean isStatsLine(String line) {
        return line.contains(" stats: accepted=") || line.startsWith("stats: accepted=");
    }

    /** Parses a {@code --stats-interval} line. */
    public static ServerCounters fromStatsLine(String line) {
        return parse(line, "stats: ");
    }

    /**
     * True once the last {@code count} stats lines carry the same, non-zero bytes-in: the server has read
     * something and stopped reading (paused, or nothing more to read).
     */
    public static boolean bytesInFlat(List<ServerCounters> lines, int count) {
        if (lines.size() < count) {
            return false;
        }
        List<ServerCounters> last = lines.subList(lines.size() - count, lines.size());
        long first = last.get(0).bytesIn();
        return first > 0 && last.stream().allMatch(c -> c.bytesIn() == first);
    }

    /** The {@code stopped: ...} summary among a server's stdout lines, if it printed one. */
    public static Optional<ServerCounters> summary(List<String> stdout) {
        return stdout.stream()
                .filter(line -> line.startsWith("stopped: "))
                .findFirst()
                .map(line -> parse(line, "stopped: "));
    }
}
