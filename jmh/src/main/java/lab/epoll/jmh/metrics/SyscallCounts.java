package lab.epoll.jmh.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Exact syscall counts from one perf measurement, grouped the way the lab compares variants: waits
 * ({@code epoll_wait} and friends, or {@code poll}), reads, writes, {@code epoll_ctl}; plus how many events each
 * wait returned, from perf counts of the waits' exit tracepoint filtered by return value.
 */
public final class SyscallCounts {
    /** Syscalls whose entries are counted. */
    static final List<String> ENTERED = List.of(
            "epoll_wait",
            "epoll_pwait",
            "epoll_pwait2",
            "poll",
            "ppoll",
            "io_uring_enter",
            "read",
            "readv",
            "recvfrom",
            "recvmsg",
            "write",
            "writev",
            "sendto",
            "sendmsg",
            "epoll_ctl",
            "accept",
            "accept4");
    /**
     * io_uring's own tracepoints ({@code io_uring:NAME}): a request submitted, a request handed to io-wq. Both fire
     * in the submitting thread, so counting the server's threads counts them.
     */
    static final List<String> URING_EVENTS = List.of("io_uring_submit_req", "io_uring_queue_async_work");
    /** The scheduler's count of the server threads' switches off a CPU, each a wait or a preemption. */
    static final List<String> SOFTWARE_EVENTS = List.of("context-switches");

    static final List<String> EPOLL_WAITS = List.of("epoll_wait", "epoll_pwait", "epoll_pwait2");
    static final List<String> POLLS = List.of("poll", "ppoll");
    static final List<String> READS = List.of("read", "readv", "recvfrom", "recvmsg");
    static final List<String> WRITES = List.of("write", "writev", "sendto", "sendmsg");

    /**
     * Return-value buckets for the waits: [low, high] inclusive, high = -1 for open-ended. Exact up to 4 events,
     * then ranges; {@link #eventsPerWait()} uses a range's midpoint, so it is exact only while waits return
     * at most 4 events (the buckets themselves are always exact counts).
     */
    static final int[][] BUCKETS = {{0, 0}, {1, 1}, {2, 2}, {3, 4}, {5, 8}, {9, 16}, {17, 64}, {65, -1}};

    private final Map<String, Long> entered;
    private final Map<String, long[]> waitReturns;
    private final Map<String, Long> namedEvents;

    SyscallCounts(Map<String, Long> entered, Map<String, long[]> waitReturns, Map<String, Long> namedEvents) {
        this.entered = new LinkedHashMap<>(entered);
        this.waitReturns = new LinkedHashMap<>(waitReturns);
        this.namedEvents = new LinkedHashMap<>(namedEvents);
    }

    public long count(String syscall) {
        return entered.getOrDefault(syscall, 0L);
    }

    private long sum(List<String> syscalls) {
        return syscalls.stream().mapToLong(this::count).sum();
    }

    public long epollWaits() {
        return sum(EPOLL_WAITS);
    }

    public long polls() {
        return sum(POLLS);
    }

    public long reads() {
        return sum(READS);
    }

    public long writes() {
        return sum(WRITES);
    }

    public long epollCtls() {
        return count("epoll_ctl");
    }

    /** {@code accept(2)} and {@code accept4(2)} calls, the ones that found the queue empty included. */
    public long accepts() {
        return count("accept") + count("accept4");
    }

    /** Every kind of wait for readiness or completions: {@code epoll_wait}s, {@code poll}s, {@code io_uring_enter}s. */
    public long waits() {
        return epollWaits() + polls() + ioUringEnters();
    }

    public long ioUringEnters() {
        return count("io_uring_enter");
    }

    /** Requests (SQEs) submitted to io_uring, or -1 where perf cannot see io_uring's tracepoints. */
    public long ioUringSubmissions() {
        return namedEvents.getOrDefault("io_uring_submit_req", -1L);
    }

    /** Requests handed to io-wq worker threads, or -1 where perf cannot see io_uring's tracepoints. */
    public long ioUringAsyncPunts() {
        return namedEvents.getOrDefault("io_uring_queue_async_work", -1L);
    }

    /** Times the server's threads left a CPU, blocking or preempted ({@code perf}'s {@code context-switches}). */
    public long contextSwitches() {
        return namedEvents.getOrDefault("context-switches", 0L);
    }

    public long total() {
        return entered.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Waits (of any kind) that returned a number of events in the given bucket. */
    public long waitsReturning(int bucket) {
        return waitReturns.values().stream().mapToLong(counts -> counts[bucket]).sum();
    }

    /** Mean events returned per wait ({@code epoll_wait} family and {@code poll}), or NaN without waits. */
    public double eventsPerWait() {
        long waits = 0;
        double events = 0;
        for (int b = 0; b < BUCKETS.length; b++) {
            long n = waitsReturning(b);
            int low = BUCKETS[b][0];
            int high = BUCKETS[b][1] < 0 ? 2 * low : BUCKETS[b][1];
            waits += n;
            events += n * (low + high) / 2.0;
        }
        return waits == 0 ? Double.NaN : events / waits;
    }
}
