package lab.epoll.jmh.metrics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Measures each iteration from outside the server and reports it as JMH secondary metrics:
 * <ul>
 *   <li>{@code server.cpu.us/op}, {@code server.cpu.cores}: the server process's user+system CPU time
 *       ({@code /proc/PID/stat}), per echo and as cores busy;</li>
 *   <li>{@code sys.*}/op: exact syscall counts per echo by kind, and {@code events/wait}, from perf (absent when
 *       perf cannot count here);</li>
 *   <li>{@code latency.p50/p99/p999/mean.us}: every round trip the client completed in the iteration;</li>
 *   <li>{@code client.cpu.cores}: the benchmark JVM's own CPU, so a client bottleneck cannot hide;</li>
 *   <li>{@code server.rss.peak.MiB} ({@code VmHWM}) and {@code MiB/s} echoed.</li>
 * </ul>
 * Use with {@code -prof lab.epoll.jmh.metrics.ServerMetricsProfiler}; the harness adds it by default.
 */
public final class ServerMetricsProfiler implements InternalProfiler {
    /** Trials measured from the profiler's point of view: the one registered when the iteration began. */
    private MeasuredTrial trial;

    @Override
    public String getDescription() {
        return "Server CPU, syscalls and RSS, client CPU and latency percentiles, per echo";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        trial = MeasuredTrial.current();
        if (trial != null) {
            trial.startMeter();
        }
        // Else the first iteration's setup starts the server after this point: warmup absorbs it.
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        ServerMeter.Measurement m = trial == null ? null : trial.takeMeasurement();
        if (m == null) {
            return List.of();
        }
        long ops = Math.max(1, result.getMetadata().getMeasuredOps());
        List<Result> results = new ArrayList<>();
        results.add(avg("server.cpu.us/op", m.serverCpuSeconds() * 1e6 / ops, "us/op"));
        results.add(avg("server.cpu.cores", m.serverCpuSeconds() / m.seconds(), "cores"));
        results.add(avg("client.cpu.cores", m.clientCpuSeconds() / m.seconds(), "cores"));
        results.add(avg("MiB/s", ops * (double) m.payloadLength() / m.seconds() / (1 << 20), "MiB/s"));
        results.add(new ScalarResult("server.rss.peak.MiB", m.serverPeakRssBytes() / (double) (1 << 20), "MiB",
                AggregationPolicy.MAX));
        Histogram latencies = m.latencies();
        if (latencies.getTotalCount() > 0) {
            results.add(avg("latency.p50.us", latencies.getValueAtPercentile(50) / 1e3, "us"));
            results.add(avg("latency.p99.us", latencies.getValueAtPercentile(99) / 1e3, "us"));
            results.add(avg("latency.p999.us", latencies.getValueAtPercentile(99.9) / 1e3, "us"));
            results.add(avg("latency.mean.us", latencies.getMean() / 1e3, "us"));
        }
        SyscallCounts syscalls = m.syscalls();
        if (syscalls != null) {
            results.add(avg("sys.epoll_wait/op", syscalls.epollWaits() / (double) ops, "calls/op"));
            results.add(avg("sys.poll/op", syscalls.polls() / (double) ops, "calls/op"));
            results.add(avg("sys.read/op", syscalls.reads() / (double) ops, "calls/op"));
            results.add(avg("sys.write/op", syscalls.writes() / (double) ops, "calls/op"));
            results.add(avg("sys.epoll_ctl/op", syscalls.epollCtls() / (double) ops, "calls/op"));
            results.add(avg("sys.total/op", syscalls.total() / (double) ops, "calls/op"));
            double eventsPerWait = syscalls.eventsPerWait();
            if (!Double.isNaN(eventsPerWait)) {
                results.add(avg("events/wait", eventsPerWait, "events"));
            }
        }
        return results;
    }

    private static ScalarResult avg(String label, double value, String unit) {
        return new ScalarResult(label, value, unit, AggregationPolicy.AVG);
    }
}
