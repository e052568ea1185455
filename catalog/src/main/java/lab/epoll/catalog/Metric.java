package lab.epoll.catalog;

import java.util.List;

/**
 * Every number the harness reports about a trial, named once: the label results.json carries, its unit, and
 * the short header the printed table and PERFORMANCE.md give it. The harness writes these labels, the printed
 * table and the report read them, so a renamed metric fails to compile instead of showing up as a blank cell.
 */
public enum Metric {
    /** Completed echoes per second, counted by the client: the throughput every comparison starts from. */
    ECHOES("echoes", "ops/s", "echoes/s"),
    MIB_PER_S("MiB/s", "MiB/s", "MiB/s"),
    SERVER_CPU_PER_OP("server.cpu.us/op", "us/op", "srv CPU us/op"),
    SERVER_CORES("server.cpu.cores", "cores", "srv cores"),
    CLIENT_CPU_PER_OP("client.cpu.us/op", "us/op", "client CPU us/op"),
    CLIENT_CORES("client.cpu.cores", "cores", "client cores"),
    /** Peak resident memory ({@code VmHWM}): with {@link #MAX}, aggregated as a maximum, not a mean. */
    RSS_PEAK("server.rss.peak.MiB", "MiB", "RSS MiB"),
    /** The server's threads at the end of the window ({@code /proc/PID/status}): with a thread per connection, one each. */
    THREADS("server.threads", "threads", "threads"),
    /** The Java feature release the server ran on (17, 25): which JDK every result came from. */
    SERVER_JAVA("server.java", "release", "java"),
    /**
     * The client's latencies. Closed loop: round trips, each connection waiting for its echo before it sends
     * again (service times). Open loop: from each request's due time to its echo (response times at a load).
     */
    P50("latency.p50.us", "us", "p50 us"),
    P99("latency.p99.us", "us", "p99 us"),
    P999("latency.p999.us", "us", "p99.9 us"),
    MEAN("latency.mean.us", "us", "mean us"),
    /** Open loop only: the rest of the response-time distribution. */
    P90("latency.p90.us", "us", "p90 us"),
    P9999("latency.p9999.us", "us", "p99.99 us"),
    MAX("latency.max.us", "us", "max us"),
    /** Open loop only: the rate the schedule asked for, beside the achieved {@link #ECHOES}. */
    OFFERED("open.offered/s", "ops/s", "offered/s"),
    /** Open loop only: how late the client wrote requests against their schedule, p99. */
    PACING_P99("open.pacing.p99.us", "us", "pacing p99 us"),
    EPOLL_WAIT("sys.epoll_wait/op", "calls/op", "epoll_wait/op"),
    POLL("sys.poll/op", "calls/op", "poll/op"),
    /** io_uring's one syscall: it submits queued requests and, when asked to, waits for completions. */
    IO_URING_ENTER("sys.io_uring_enter/op", "calls/op", "io_uring_enter/op"),
    READ("sys.read/op", "calls/op", "read/op"),
    WRITE("sys.write/op", "calls/op", "write/op"),
    EPOLL_CTL("sys.epoll_ctl/op", "calls/op", "epoll_ctl/op"),
    /** Times the server's threads left a CPU per echo, each a blocking wait or a preemption. */
    CONTEXT_SWITCHES("sched.switches/op", "switches/op", "cswitch/op"),
    SYSCALLS_TOTAL("sys.total/op", "calls/op", "syscalls/op"),
    EVENTS_PER_WAIT("events/wait", "events", "events/wait"),
    /** Requests (SQEs) the kernel took per {@code io_uring_enter}: how much one syscall carries. */
    SQES_PER_ENTER("io_uring.sqes/enter", "SQEs", "SQEs/enter"),
    /**
     * Requests per echo the kernel could not complete inline and handed to io-wq, its worker threads inside the
     * server process; their CPU is in the server's CPU time, which covers every thread of the process.
     */
    IO_WQ_PER_OP("io_uring.io-wq/op", "requests/op", "io-wq/op"),
    /**
     * Newcomer scenario: how long a new connection waited, from when it was due to its echo (handshake, accept
     * queue, echo). One never answered counts with its age when the iteration ended, a lower bound.
     */
    NEWCOMER_P50("newcomer.wait.p50.ms", "ms", "new p50 ms"),
    NEWCOMER_P99("newcomer.wait.p99.ms", "ms", "new p99 ms"),
    NEWCOMER_P999("newcomer.wait.p999.ms", "ms", "new p99.9 ms"),
    NEWCOMER_MAX("newcomer.wait.max.ms", "ms", "new max ms"),
    /** Newcomer scenario: new connections due in the iteration, and those of them never answered in it. */
    NEWCOMERS("newcomer.arrived", "connections", "new arrived"),
    NEWCOMERS_UNANSWERED("newcomer.unanswered", "connections", "new unanswered"),
    /**
     * Newcomer scenario: Jain's fairness index over the busy connections' echoes in the iteration, 1 when every
     * one got the same and 1/n when one got everything.
     */
    BUSY_JAIN("busy.fairness.jain", "index", "busy Jain"),
    /** Newcomer scenario: the share of busy connections that got no echo at all in the iteration. */
    BUSY_UNSERVED("busy.unserved.%", "%", "busy unserved %"),
    /** The kernel's accept queue of the listener at the iteration's end ({@code ss -ltn}'s Recv-Q). */
    LISTEN_BACKLOG("listen.backlog", "connections", "backlog"),
    /** Connections the kernel dropped in the iteration because the accept queue was full ({@code ListenOverflows}). */
    LISTEN_OVERFLOWS("listen.overflows", "connections", "overflows"),
    /** Waits for readiness or completions per second: how often the server's loops wake up. */
    WAITS_PER_S("sys.waits/s", "calls/s", "waits/s"),
    /** {@code accept}/{@code accept4} calls per wait: how many connections a wake-up tries to take. */
    ACCEPTS_PER_WAIT("sys.accept/wait", "calls/wait", "accepts/wait"),
    /**
     * Churn scenario, from perf per thread: {@code accept4} calls that found the queue empty ({@code EAGAIN}) per
     * connection served: threads woken for a connection another took, or the last call of a drain.
     */
    ACCEPT_EMPTY_PER_OP("sys.accept.eagain/op", "calls/op", "EAGAIN accepts/conn"),
    /** Churn scenario: the busiest serving thread's share of the connections (each closed by the one that served it). */
    LOOP_SHARE_MAX("loops.share.max.%", "%", "busiest loop %"),
    /** Churn scenario: the idlest serving thread's share of the connections; 0 when a loop served none. */
    LOOP_SHARE_MIN("loops.share.min.%", "%", "idlest loop %"),
    /** Churn scenario: Jain's index over the connections each serving thread closed: 1 even, 1/N all on one. */
    LOOP_JAIN("loops.fairness.jain", "index", "loops Jain");

    /** Churn scenario: the label of the share of connections of the serving thread ranked {@code rank} (1: busiest). */
    public static String loopShareLabel(int rank) {
        return "loops.share.rank" + rank + ".%";
    }

    /** The syscall kinds perf counts, in the order an echo meets them: wait, then read, write, re-arm. */
    public static final List<Metric> SYSCALL_KINDS = List.of(EPOLL_WAIT, POLL, IO_URING_ENTER, READ, WRITE, EPOLL_CTL);

    private final String label;
    private final String unit;
    private final String header;

    Metric(String label, String unit, String header) {
        this.label = label;
        this.unit = unit;
        this.header = header;
    }

    /** The name in results.json, e.g. {@code latency.p99.us}. */
    public String label() {
        return label;
    }

    public String unit() {
        return unit;
    }

    /** The column header in tables, e.g. {@code p99 us}. */
    public String header() {
        return header;
    }

    /** Whether iterations combine by taking the maximum (a peak) rather than the mean. */
    public boolean isPeak() {
        return this == RSS_PEAK || this == THREADS || this == MAX || this == NEWCOMER_MAX;
    }

    /** For syscall metrics, the syscall's name: {@code sys.epoll_wait/op} is {@code epoll_wait}. */
    public String syscallName() {
        if (!label.startsWith("sys.")) {
            throw new IllegalStateException(this + " is not a syscall metric");
        }
        return label.substring("sys.".length(), label.length() - "/op".length());
    }
}
