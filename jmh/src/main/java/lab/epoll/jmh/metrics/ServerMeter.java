package lab.epoll.jmh.metrics;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import lab.epoll.jmh.load.ClientLoad;
import lab.epoll.jmh.load.NewcomerLoad;
import lab.epoll.jmh.load.OpenLoopLoad;
import org.HdrHistogram.Histogram;

/**
 * Measures one iteration of a trial from outside the server: CPU time and peak RSS ({@link ServerReadings}: from
 * {@code /proc/PID}, or from the server's metrics endpoint when it runs elsewhere), syscalls from perf, the
 * client's CPU, its completed echoes and its round trips, all over the same window. Started by the profiler
 * before an iteration and stopped by the benchmark's iteration teardown, which JMH runs before the trial teardown
 * stops the server. Against an external target without an endpoint only the client side is measured.
 */
final class ServerMeter {
    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** The server's figures; null when there is no server to read (an external target without an endpoint). */
    private final ServerReadings server;

    private final int serverJava;
    private final ClientLoad load;
    private final PerfStat perf;
    private final PerfStat perThread;
    private final int servingThreads;
    private final long startNanos;
    private final ServerReadings.Reading start;
    private final long startClientCpuNanos;
    private final long startEchoes;

    /**
     * What one iteration cost: {@code echoes} completed in the window; {@code syscalls} is null when perf cannot
     * count here; the server's fields are NaN/-1/null without a server of ours.
     */
    record Measurement(
            double seconds,
            long echoes,
            double serverCpuSeconds,
            double clientCpuSeconds,
            long serverPeakRssBytes,
            long serverThreads,
            int serverJava,
            Histogram latencies,
            SyscallCounts syscalls,
            ThreadCounts threadCounts,
            int servingThreads,
            int payloadLength,
            OpenLoopLoad.Pacing pacing,
            NewcomerLoad.Admission admission) {
        boolean hasServer() {
            return !Double.isNaN(serverCpuSeconds);
        }
    }

    /**
     * {@code perf}: the trial's, to count this iteration's syscalls with; null counts none (a warmup, no perf).
     * {@code serverJava}: the trial's Java release, recorded with each iteration.
     */
    ServerMeter(
            ServerReadings server,
            int serverJava,
            ClientLoad load,
            PerfStat perf,
            PerfStat perThread,
            int servingThreads) {
        this.servingThreads = servingThreads;
        this.server = server;
        this.serverJava = serverJava;
        this.load = load;
        this.perf = perf;
        this.perThread = perThread;
        if (perf != null) {
            perf.start();
        }
        if (perThread != null) {
            perThread.start();
        }
        load.takeLatencies(); // forget round trips from before this iteration
        load.takePacing();
        load.takeAdmission();
        start = server == null ? null : server.read();
        startClientCpuNanos = OS.getProcessCpuTime();
        startEchoes = load.completed();
        startNanos = System.nanoTime();
    }

    Measurement stop() {
        ServerReadings.Reading end = server == null ? null : server.read();
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        long echoes = load.completed() - startEchoes;
        double clientCpu = (OS.getProcessCpuTime() - startClientCpuNanos) / 1e9;
        double serverCpu = end == null ? Double.NaN : end.cpuSeconds() - start.cpuSeconds();
        long peakRss = end == null ? -1 : end.peakRssBytes();
        long threads = end == null ? -1 : end.threads();
        SyscallCounts syscalls = perf == null ? null : perf.stop();
        ThreadCounts threadCounts = perThread == null ? null : perThread.stopPerThread();
        return new Measurement(
                seconds,
                echoes,
                serverCpu,
                clientCpu,
                peakRss,
                threads,
                serverJava,
                load.takeLatencies(),
                syscalls,
                threadCounts,
                servingThreads,
                load.payloadLength(),
                load.takePacing(),
                load.takeAdmission());
    }
}
