package lab.epoll.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-thread CPU time from {@code /proc/PID/task/TID/stat}, by thread name ({@code /proc/.../comm}: the Java
 * thread name cut to 15 characters, e.g. {@code epoll-lt-2-1}). {@link ProcFs#cpuTicks} counts the whole JVM,
 * JIT compiler and garbage collector included; this tells the event loops' own time apart, which is what shows a
 * busy-looping {@code epoll_wait} on a machine where other work blurs the process total.
 */
public final class ProcThreads {
    private ProcThreads() {
    }

    /** User plus system ticks per thread name (threads sharing a name are summed). */
    public static Map<String, Long> cpuTicksByName(long pid) {
        Map<String, Long> ticks = new HashMap<>();
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(tasks)) {
            for (Path task : dir) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim();
                    String stat = Files.readString(task.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
                    ticks.merge(name, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
                } catch (NoSuchFileException exited) {
                    // The thread ended between listing and reading.
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ticks;
    }

    /**
     * Ticks summed over the threads whose name contains {@code fragment}, e.g. {@code "epoll"} for Netty's
     * {@code epoll-lt-2-1} and a hand-written loop's {@code oneshot-epoll-1}; fails if no thread matches, so a
     * renamed thread cannot turn a measurement into a silent zero.
     */
    public static long cpuTicks(long pid, String fragment) {
        Map<String, Long> byName = cpuTicksByName(pid);
        if (byName.keySet().stream().noneMatch(name -> name.contains(fragment))) {
            throw new IllegalStateException("no thread of " + pid + " has '" + fragment + "' in its name: "
                    + byName.keySet());
        }
        return byName.entrySet().stream().filter(e -> e.getKey().contains(fragment))
                .mapToLong(Map.Entry::getValue).sum();
    }
}
