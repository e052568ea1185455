package lab.epoll.jmh.metrics;

import java.net.URI;
import lab.epoll.process.MetricsScrape;
import lab.epoll.process.ProcFs;

/**
 * Where the harness reads the server's own figures at each iteration boundary: the kernel's records of a server
 * on this machine ({@code /proc/PID}), or the server's {@code --metrics-port} endpoint when it runs elsewhere.
 * Both give the same three figures, so CPU per echo, cores and RSS are computed the same way from either.
 */
interface ServerReadings {
    /** Linux's fixed clock-tick unit for {@code /proc/PID/stat} times. */
    double USER_HZ = 100.0;

    /** Process CPU time (user+system), peak resident set ({@code VmHWM}) and OS threads, at one moment. */
    record Reading(double cpuSeconds, long peakRssBytes, long threads) {}

    Reading read();

    /** Brings the source to the state it is read in during a trial; nothing to do for /proc. */
    default void warmUp() {}

    /** The kernel's records: {@code /proc/PID/stat} and {@code /proc/PID/status}. */
    static ServerReadings proc(long pid) {
        return () -> {
            if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                throw new IllegalStateException("server process " + pid + " died during the iteration");
            }
            return new Reading(
                    ProcFs.cpuTicks(pid) / USER_HZ,
                    ProcFs.statusBytes(pid, "VmHWM"),
                    ProcFs.statusNumber(pid, "Threads"));
        };
    }

    /**
     * The server's metrics endpoint: {@code process_cpu_seconds_total} (the JVM's process CPU time, to the
     * nanosecond), and the server's own {@code /proc/self/status} lines it serves as
     * {@code echo_process_resident_memory_peak_bytes} and {@code echo_process_threads}.
     */
    static ServerReadings endpoint(URI endpoint) {
        return new ServerReadings() {
            @Override
            public Reading read() {
                MetricsScrape scrape = MetricsScrape.of(endpoint);
                return new Reading(
                        scrape.value("process_cpu_seconds_total"),
                        (long) scrape.value("echo_process_resident_memory_peak_bytes"),
                        (long) scrape.value("echo_process_threads"));
            }

            /**
             * The endpoint takes its CPU figure early in a scrape, so the rest of the scrape that ends a window
             * falls outside it. Warm, that rest is about a millisecond; in a server's first scrapes, with the
             * exporter's classes loading and its code interpreted, it is tens of milliseconds, 6% of a 1.5 s
             * window once. So the harness scrapes a few times before the first window.
             */
            @Override
            public void warmUp() {
                for (int i = 0; i < WARM_UP_SCRAPES; i++) {
                    MetricsScrape.of(endpoint);
                }
            }
        };
    }

    /** Scrapes before the first window: enough that the exporter's code is compiled (measured: see warmUp). */
    int WARM_UP_SCRAPES = 50;
}
