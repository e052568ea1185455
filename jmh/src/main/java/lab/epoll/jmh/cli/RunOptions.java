package lab.epoll.jmh.cli;

import java.nio.file.Path;
import lab.epoll.jmh.metrics.LatencyLog;
import lab.epoll.jmh.metrics.PerfStat;
import picocli.CommandLine.Option;

/** The lab's options of every run that measures: how its trials are measured and what they leave behind. */
public final class RunOptions {
    @Option(
            names = "--no-perf",
            description = "No syscall counts: perf's tracing slows every syscall of the server,"
                    + " so variants that make fewer syscalls per echo (io_uring) gain from it; compare CPU, throughput and"
                    + " latency without it.")
    boolean noPerf;

    @Option(
            names = "--latency-log",
            paramLabel = "DIR",
            description = "Each trial's round trips per measured"
                    + " iteration into DIR/HOST-PID-TRIAL.hlog (HdrHistogram's interval log), to merge the loads of several"
                    + " processes or hosts with --merge-latencies.")
    Path latencyLog;

    /** Hands the options to this JVM's harness and, as system properties passed on, to every fork. */
    void applyToForks() {
        if (noPerf) {
            System.setProperty(PerfStat.PROPERTY, "false");
        }
        if (latencyLog != null) {
            // An absolute path: a fork's working directory may differ.
            System.setProperty(LatencyLog.PROPERTY, latencyLog.toAbsolutePath().toString());
        }
    }
}
