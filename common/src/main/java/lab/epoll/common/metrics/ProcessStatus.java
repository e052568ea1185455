package lab.epoll.common.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's own line of {@code /proc/self/status} that the metrics need and the JVM does not give. */
final class ProcessStatus {
    private static final Path STATUS = Path.of("/proc/self/status");

    private ProcessStatus() {
    }

    /** {@code VmHWM}: the peak resident set size, in bytes (the kernel writes it in kB). */
    static long peakResidentBytes() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException(STATUS + " has no VmHWM line");
    }
}
