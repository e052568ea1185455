package lab.epoll.jmh.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What each of the server's threads did in one window, from perf's per-thread counts: the connections it closed
 * (each connection is closed once, by the thread that served it, so this is how the connections were spread),
 * its accepts that returned a connection and those that found the queue empty ({@code EAGAIN}: another thread
 * got there first, or nothing was left), and its context switches (each time it slept and was woken again, or
 * was preempted).
 */
public final class ThreadCounts {
    /** perf's events, in the order asked; {@link #eventArguments} spells them for perf. */
    enum Event {
        CLOSES("syscalls:sys_enter_close", null),
        ACCEPTED("syscalls:sys_exit_accept4", "ret >= 0"),
        ACCEPT_EMPTY("syscalls:sys_exit_accept4", "ret == -11"),
        CONTEXT_SWITCHES("context-switches", null);

        final String perfEvent;
        final String filter;

        Event(String perfEvent, String filter) {
            this.perfEvent = perfEvent;
            this.filter = filter;
        }
    }

    private final Map<String, long[]> byThread;

    private ThreadCounts(Map<String, long[]> byThread) {
        this.byThread = byThread;
    }

    /** perf's {@code -e} (and {@code --filter}) arguments; {@code order} gets one name per event, as perf prints them. */
    static List<String> eventArguments(List<String> order) {
        List<String> args = new ArrayList<>();
        for (Event event : Event.values()) {
            args.addAll(List.of("-e", event.perfEvent));
            if (event.filter != null) {
                args.addAll(List.of("--filter", event.filter));
            }
            order.add(event.name());
        }
        return args;
    }

    /** From one window's event-major values ({@code values[event * threads + thread]}) and perf's thread names. */
    static ThreadCounts of(List<Long> values, List<String> threads, List<String> eventOrder) {
        if (values.size() != eventOrder.size() * threads.size()) {
            throw new IllegalStateException("perf printed " + values.size() + " counts for " + eventOrder.size()
                    + " events over " + threads.size() + " threads");
        }
        Map<String, long[]> byThread = new LinkedHashMap<>();
        for (int t = 0; t < threads.size(); t++) {
            long[] counts = new long[Event.values().length];
            for (int e = 0; e < eventOrder.size(); e++) {
                counts[Event.valueOf(eventOrder.get(e)).ordinal()] = values.get(e * threads.size() + t);
            }
            byThread.put(threads.get(t), counts);
        }
        return new ThreadCounts(byThread);
    }

    private long total(Event event) {
        return byThread.values().stream().mapToLong(c -> c[event.ordinal()]).sum();
    }

    /** Accepts that returned a connection, all threads together. */
    public long accepted() {
        return total(Event.ACCEPTED);
    }

    /** Accepts that found the queue empty ({@code EAGAIN}), all threads together. */
    public long acceptsFoundEmpty() {
        return total(Event.ACCEPT_EMPTY);
    }

    /** Context switches of all the counted threads. */
    public long contextSwitches() {
        return total(Event.CONTEXT_SWITCHES);
    }

    /**
     * Connections closed per serving thread, largest first: the {@code loops} threads that closed the most (a
     * loop that closed none counts as 0), or with {@code loops} 0 every thread that closed any. An acceptor
     * thread closes nothing and so is not among them while every loop serves.
     */
    public long[] closesPerLoop(int loops) {
        long[] closes = byThread.values().stream()
                .mapToLong(c -> c[Event.CLOSES.ordinal()])
                .filter(n -> loops > 0 || n > 0)
                .sorted()
                .toArray();
        int n = loops > 0 ? loops : closes.length;
        long[] largestFirst = new long[n];
        for (int i = 0; i < n && i < closes.length; i++) {
            largestFirst[i] = closes[closes.length - 1 - i];
        }
        return largestFirst;
    }

    /** Jain's fairness index of {@code counts}: 1 when all are equal, 1/n when one has everything; NaN if all are 0. */
    public static double jain(long[] counts) {
        double sum = Arrays.stream(counts).sum();
        double squares = Arrays.stream(counts).mapToDouble(c -> (double) c * c).sum();
        return squares == 0 ? Double.NaN : sum * sum / (counts.length * squares);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        byThread.forEach((thread, counts) ->
                text.append(thread).append(Arrays.toString(counts)).append(' '));
        return text.toString().trim();
    }
}
