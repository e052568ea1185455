package lab.epoll.jmh.metrics;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import lab.epoll.jmh.load.EchoLoad;
import lab.epoll.testkit.ProcFs;
import org.HdrHistogram.Histogram;

/**
 * Measures one iteration of a trial from outside the server: CPU time from {@code /proc/PID/stat}, syscalls from
 * perf, peak RSS, the client's CPU and its round trips. Started by the profiler before an iteration and stopped by
 * the benchmark's iteration teardown, which JMH runs before the trial teardown stops the server.
 */
final class ServerMeter {
    private static final double USER_HZ = 100.0; // Linux's fixed clock-tick unit for /proc/PID/stat times
    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static volatile boolean warnedNoPerf;

    private final long pid;
    private final EchoLoad load;
    private final PerfStat perf;
    private final long startNanos;
    private final long startServerTicks;
    private final long startClientCpuNanos;

    /** What one iteration cost; {@code syscalls} is null when perf cannot count here. */
    record Measurement(double seconds, double serverCpuSeconds, double clientCpuSeconds, long serverPeakRssBytes,
                       Histogram latencies, SyscallCounts syscalls, int payloadLength) {
    }

    ServerMeter(long pid, EchoLoad load) {
        this.pid = pid;
        this.load = load;
        String noPerf = PerfStat.availability();
        if (noPerf == null) {
            perf = PerfStat.attach(pid);
            perf.start();
        } else {
            perf = null;
            if (!warnedNoPerf) {
                warnedNoPerf = true;
                System.err.println("[lab] perf cannot count syscalls here (" + noPerf + "): no syscall metrics.");
            }
        }
        load.takeLatencies(); // forget round trips from before this iteration
        startServerTicks = ProcFs.cpuTicks(pid);
        startClientCpuNanos = OS.getProcessCpuTime();
        startNanos = System.nanoTime();
    }

    Measurement stop() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        double serverCpu = (ProcFs.cpuTicks(pid) - startServerTicks) / USER_HZ;
        double clientCpu = (OS.getProcessCpuTime() - startClientCpuNanos) / 1e9;
        long peakRss = ProcFs.statusBytes(pid, "VmHWM");
        SyscallCounts syscalls = null;
        if (perf != null) {
            try {
                syscalls = perf.stop();
            } finally {
                perf.close();
            }
        }
        return new Measurement(seconds, serverCpu, clientCpu, peakRss, load.takeLatencies(), syscalls,
                load.payloadLength());
    }
}
