package lab.epoll.common.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The lines of this process's {@code /proc/self/status} that the metrics need and the JVM does not give. */
final class ProcessStatus {
    private static final Path STATUS = Path.of("/proc/self/status");

    private ProcessStatus() {}

    /** {@code VmHWM}: the peak resident set size, in bytes (the kernel writes it in kB). */
    static long peakResidentBytes() {
        return number("VmHWM") * 1024;
    }

    /** {@code Threads}: every thread of the process, the JVM's own (GC, JIT) included, as /proc counts them. */
    static long threads() {
        return number("Threads");
    }

    private static long number(String field) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException(STATUS + " has no " + field + " line");
    }
}
