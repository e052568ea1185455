package lab.epoll.jmh.report;

import java.util.List;

/** The secondary-metric labels {@code ServerMetricsProfiler} writes into results.json, named once for the report. */
final class MetricLabels {
    static final String P50 = "latency.p50.us";
    static final String P99 = "latency.p99.us";
    static final String P999 = "latency.p999.us";
    static final String MEAN = "latency.mean.us";
    static final String CPU_PER_OP = "server.cpu.us/op";
    static final String SERVER_CORES = "server.cpu.cores";
    static final String CLIENT_CORES = "client.cpu.cores";
    static final String RSS_PEAK = "server.rss.peak.MiB";
    static final String MIB_PER_S = "MiB/s";
    static final String EPOLL_WAIT = "sys.epoll_wait/op";
    static final String POLL = "sys.poll/op";
    static final String READ = "sys.read/op";
    static final String WRITE = "sys.write/op";
    static final String EPOLL_CTL = "sys.epoll_ctl/op";
    static final String SYSCALLS_TOTAL = "sys.total/op";
    static final String EVENTS_PER_WAIT = "events/wait";

    /** The syscall kinds perf counts, in the order an echo meets them: wait, then read, write, re-arm. */
    static final List<String> SYSCALL_KINDS = List.of(EPOLL_WAIT, POLL, READ, WRITE, EPOLL_CTL);

    private MetricLabels() {
    }

    /** {@code sys.epoll_wait/op} becomes {@code epoll_wait}. */
    static String syscallName(String label) {
        return label.substring("sys.".length(), label.length() - "/op".length());
    }
}
