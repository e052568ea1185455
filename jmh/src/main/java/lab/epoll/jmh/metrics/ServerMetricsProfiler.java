package lab.epoll.jmh.metrics;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import lab.epoll.catalog.Metric;
import lab.epoll.jmh.load.NewcomerLoad;
import lab.epoll.jmh.load.OpenLoopLoad;
import org.HdrHistogram.Histogram;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;
import org.openjdk.jmh.runner.IterationType;

/**
 * Measures each iteration from outside the server and reports it as JMH secondary metrics ({@link Metric} names
 * them all), every per-echo figure over the echoes the client completed in the same window:
 * <ul>
 *   <li>the server process's user+system CPU time ({@code /proc/PID/stat}), per echo and as cores busy;</li>
 *   <li>exact syscall counts per echo by kind, and events per wait, from perf (absent when perf cannot count);
 *   for io_uring, requests per {@code io_uring_enter} and requests handed to io-wq, from io_uring's tracepoints;</li>
 *   <li>the client's latency percentiles over every request it completed in the iteration: closed-loop round
 *   trips, or for the open loop response times from each request's due time, with p90, p99.99, max, the offered
 *   rate and the pacing error;</li>
 *   <li>the benchmark JVM's own CPU per echo and as cores busy, so a client bottleneck cannot hide;</li>
 *   <li>the server's peak RSS ({@code VmHWM}) and MiB/s echoed.</li>
 * </ul>
 * Use with {@code -prof lab.epoll.jmh.metrics.ServerMetricsProfiler}; the harness adds it by default.
 */
public final class ServerMetricsProfiler implements InternalProfiler {
    @Override
    public String getDescription() {
        return "Server CPU, syscalls and RSS, client CPU and latency percentiles, per echo";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        MeasuredTrial.forgetFinished();
    }

    @Override
    public Collection<? extends Result> afterIteration(
            BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
        ServerMeter.Measurement m = MeasuredTrial.takeFinished();
        if (m == null) {
            return List.of();
        }
        // Per echo: the echoes the client completed in the same window the costs were measured over.
        long ops = Math.max(1, m.echoes());
        List<Result> results = new ArrayList<>();
        if (benchmarkParams != null && benchmarkParams.getMode() == Mode.SingleShotTime) {
            // A fixed amount of work timed once (the exercise's burst): its rate is the echoes over the window.
            // A throughput benchmark counts them itself (EchoCounter), under the same name.
            results.add(result(Metric.ECHOES, ops / m.seconds()));
        }
        results.add(result(Metric.CLIENT_CPU_PER_OP, m.clientCpuSeconds() * 1e6 / ops));
        results.add(result(Metric.CLIENT_CORES, m.clientCpuSeconds() / m.seconds()));
        results.add(result(Metric.MIB_PER_S, ops * (double) m.payloadLength() / m.seconds() / (1 << 20)));
        if (m.hasServer()) {
            results.add(result(Metric.SERVER_CPU_PER_OP, m.serverCpuSeconds() * 1e6 / ops));
            results.add(result(Metric.SERVER_CORES, m.serverCpuSeconds() / m.seconds()));
            results.add(result(Metric.RSS_PEAK, m.serverPeakRssBytes() / (double) (1 << 20)));
            results.add(result(Metric.THREADS, m.serverThreads()));
            if (m.serverJava() > 0) {
                results.add(result(Metric.SERVER_JAVA, m.serverJava()));
            }
        }
        Histogram latencies = m.latencies();
        Path latencyLog = LatencyLog.folder();
        if (latencyLog != null
                && benchmarkParams != null
                && iterationParams != null
                && iterationParams.getType() == IterationType.MEASUREMENT
                && latencies.getTotalCount() > 0) {
            LatencyLog.append(latencyLog, benchmarkParams, latencies);
        }
        if (latencies.getTotalCount() > 0) {
            results.add(result(Metric.P50, latencies.getValueAtPercentile(50) / 1e3));
            results.add(result(Metric.P99, latencies.getValueAtPercentile(99) / 1e3));
            results.add(result(Metric.P999, latencies.getValueAtPercentile(99.9) / 1e3));
            results.add(result(Metric.MEAN, latencies.getMean() / 1e3));
        }
        OpenLoopLoad.Pacing pacing = m.pacing();
        if (pacing != null) {
            results.add(result(Metric.OFFERED, pacing.offeredPerSecond()));
            results.add(result(Metric.PACING_P99, pacing.lateness().getValueAtPercentile(99) / 1e3));
            if (latencies.getTotalCount() > 0) {
                results.add(result(Metric.P90, latencies.getValueAtPercentile(90) / 1e3));
                results.add(result(Metric.P9999, latencies.getValueAtPercentile(99.99) / 1e3));
                results.add(result(Metric.MAX, latencies.getMaxValue() / 1e3));
            }
        }
        NewcomerLoad.Admission admission = m.admission();
        if (admission != null) {
            Histogram waits = admission.waits();
            if (waits.getTotalCount() > 0) {
                results.add(result(Metric.NEWCOMER_P50, waits.getValueAtPercentile(50) / 1e6));
                results.add(result(Metric.NEWCOMER_P99, waits.getValueAtPercentile(99) / 1e6));
                results.add(result(Metric.NEWCOMER_P999, waits.getValueAtPercentile(99.9) / 1e6));
                results.add(result(Metric.NEWCOMER_MAX, waits.getMaxValue() / 1e6));
            }
            results.add(result(Metric.NEWCOMERS, admission.arrived()));
            results.add(result(Metric.NEWCOMERS_UNANSWERED, admission.unanswered()));
            results.add(result(Metric.PACING_P99, admission.lateness().getValueAtPercentile(99) / 1e3));
            results.add(result(Metric.BUSY_JAIN, admission.busyJain()));
            results.add(result(Metric.BUSY_UNSERVED, 100 * admission.busyUnservedShare()));
            if (admission.listenBacklog() >= 0) {
                results.add(result(Metric.LISTEN_BACKLOG, admission.listenBacklog()));
            }
            if (admission.listenOverflows() >= 0) {
                results.add(result(Metric.LISTEN_OVERFLOWS, admission.listenOverflows()));
            }
        }
        ThreadCounts threads = m.threadCounts();
        if (threads != null) {
            results.add(result(Metric.ACCEPT_EMPTY_PER_OP, threads.acceptsFoundEmpty() / (double) ops));
            long[] closes = threads.closesPerLoop(m.servingThreads());
            long served = java.util.Arrays.stream(closes).sum();
            if (served > 0) {
                results.add(result(Metric.LOOP_SHARE_MAX, 100.0 * closes[0] / served));
                results.add(result(Metric.LOOP_SHARE_MIN, 100.0 * closes[closes.length - 1] / served));
                results.add(result(Metric.LOOP_JAIN, ThreadCounts.jain(closes)));
                for (int rank = 1; rank <= closes.length; rank++) {
                    results.add(new ScalarResult(
                            Metric.loopShareLabel(rank),
                            100.0 * closes[rank - 1] / served,
                            "%",
                            AggregationPolicy.AVG));
                }
            }
        }
        SyscallCounts syscalls = m.syscalls();
        if (syscalls != null) {
            results.add(result(Metric.WAITS_PER_S, syscalls.waits() / m.seconds()));
            if (syscalls.accepts() > 0 && syscalls.waits() > 0) {
                results.add(result(Metric.ACCEPTS_PER_WAIT, syscalls.accepts() / (double) syscalls.waits()));
            }
            results.add(result(Metric.EPOLL_WAIT, syscalls.epollWaits() / (double) ops));
            results.add(result(Metric.POLL, syscalls.polls() / (double) ops));
            results.add(result(Metric.IO_URING_ENTER, syscalls.ioUringEnters() / (double) ops));
            results.add(result(Metric.READ, syscalls.reads() / (double) ops));
            results.add(result(Metric.WRITE, syscalls.writes() / (double) ops));
            results.add(result(Metric.EPOLL_CTL, syscalls.epollCtls() / (double) ops));
            results.add(result(Metric.CONTEXT_SWITCHES, syscalls.contextSwitches() / (double) ops));
            results.add(result(Metric.SYSCALLS_TOTAL, syscalls.total() / (double) ops));
            double eventsPerWait = syscalls.eventsPerWait();
            if (!Double.isNaN(eventsPerWait)) {
                results.add(result(Metric.EVENTS_PER_WAIT, eventsPerWait));
            }
            // Only where the server submits to io_uring: for epoll variants these would be zeros dressed as data.
            if (syscalls.ioUringEnters() > 0 && syscalls.ioUringSubmissions() >= 0) {
                results.add(result(
                        Metric.SQES_PER_ENTER, syscalls.ioUringSubmissions() / (double) syscalls.ioUringEnters()));
                results.add(result(Metric.IO_WQ_PER_OP, syscalls.ioUringAsyncPunts() / (double) ops));
            }
        }
        return results;
    }

    private static ScalarResult result(Metric metric, double value) {
        return new ScalarResult(
                metric.label(), value, metric.unit(), metric.isPeak() ? AggregationPolicy.MAX : AggregationPolicy.AVG);
    }
}
