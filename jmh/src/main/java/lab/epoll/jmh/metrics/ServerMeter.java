package lab.epoll.jmh.metrics;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import lab.epoll.jmh.load.ClientLoad;
import lab.epoll.jmh.load.NewcomerLoad;
import lab.epoll.jmh.load.OpenLoopLoad;
import lab.epoll.testkit.ProcFs;
import org.HdrHistogram.Histogram;

/**
 * Measures one iteration of a trial from outside the server: CPU time from {@code /proc/PID/stat}, syscalls from
 * perf, peak RSS, the client's CPU, its completed echoes and its round trips, all over the same window. Started
 * by the profiler before an iteration and stopped by the benchmark's iteration teardown, which JMH runs before
 * the trial teardown stops the server. Against an external target ({@link MeasuredTrial#NO_SERVER}) only the
 * client side is measured.
 */
final class ServerMeter {
    private static final double USER_HZ = 100.0; // Linux's fixed clock-tick unit for /proc/PID/stat times
    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private final long pid;
    private final int serverJava;
    private final ClientLoad load;
    private final PerfStat perf;
    private final PerfStat perThread;
    private final int servingThreads;
    private final long startNanos;
    private final long startServerTicks;
    private final long startClientCpuNanos;
    private final long startEchoes;

    /**
     * What one iteration cost: {@code echoes} completed in the window; {@code syscalls} is null when perf cannot
     * count here; the server's fields are NaN/-1/null without a server of ours.
     */
    record Measurement(double seconds, long echoes, double serverCpuSeconds, double clientCpuSeconds,
                       long serverPeakRssBytes, long serverThreads, int serverJava, Histogram latencies,
                       SyscallCounts syscalls, ThreadCounts threadCounts, int servingThreads, int payloadLength,
                       OpenLoopLoad.Pacing pacing, NewcomerLoad.Admission admission) {
        boolean hasServer() {
            return !Double.isNaN(serverCpuSeconds);
        }
    }

    /**
     * {@code perf}: the trial's, to count this iteration's syscalls with; null counts none (a warmup, no perf).
     * {@code serverJava}: the trial's Java release, recorded with each iteration.
     */
    ServerMeter(long pid, int serverJava, ClientLoad load, PerfStat perf, PerfStat perThread, int servingThreads) {
        this.servingThreads = servingThreads;
        this.pid = pid;
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
        startServerTicks = pid == MeasuredTrial.NO_SERVER ? 0 : ProcFs.cpuTicks(pid);
        startClientCpuNanos = OS.getProcessCpuTime();
        startEchoes = load.completed();
        startNanos = System.nanoTime();
    }

    Measurement stop() {
        boolean server = pid != MeasuredTrial.NO_SERVER;
        if (server && !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            throw new IllegalStateException("server process " + pid + " died during the iteration");
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        long echoes = load.completed() - startEchoes;
        double clientCpu = (OS.getProcessCpuTime() - startClientCpuNanos) / 1e9;
        double serverCpu = server ? (ProcFs.cpuTicks(pid) - startServerTicks) / USER_HZ : Double.NaN;
        long peakRss = server ? ProcFs.statusBytes(pid, "VmHWM") : -1;
        long threads = server ? ProcFs.statusNumber(pid, "Threads") : -1;
        SyscallCounts syscalls = perf == null ? null : perf.stop();
        ThreadCounts threadCounts = perThread == null ? null : perThread.stopPerThread();
        return new Measurement(seconds, echoes, serverCpu, clientCpu, peakRss, threads, serverJava, load.takeLatencies(),
                syscalls, threadCounts, servingThreads,
                load.payloadLength(), load.takePacing(), load.takeAdmission());
    }
}
