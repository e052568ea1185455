package lab.epoll.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-thread CPU time from {@code /proc/PID/task/TID/stat}, by thread name ({@code /proc/.../comm}: the Java
 * thread name cut to 15 characters, e.g. {@code epoll-level-2-1}). {@link ProcFs#cpuTicks} counts the whole JVM,
 * JIT compilers and garbage collector included, which on a busy machine may catch up on work at any moment; the
 * server's own threads (event loops, workers) are where a busy loop would show.
 */
public final class ProcThreads {
    /** Name prefixes of HotSpot's own threads: JIT compilers, garbage collectors, VM housekeeping. */
    public static final List<String> JVM_INTERNAL = List.of(
            "C1 CompilerThre",
            "C2 CompilerThre",
            "GC Thread",
            "G1 ",
            "VM Thread",
            "VM Periodic",
            "Sweeper thread",
            "Monitor Deflati",
            "Service Thread",
            "Notification Th",
            "Common-Cleaner",
            "Reference Handl",
            "Finalizer",
            "Signal Dispatch",
            "Attach Listener");

    private ProcThreads() {}

    /** User plus system ticks (1/100 s) per thread name; threads sharing a name are summed. */
    public static Map<String, Long> cpuTicksByName(long pid) {
        Map<String, Long> ticks = new HashMap<>();
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(tasks)) {
            for (Path task : dir) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim();
                    ticks.merge(name, ProcFs.cpuTicksOfStat(Files.readString(task.resolve("stat"))), Long::sum);
                } catch (NoSuchFileException exited) {
                    // The thread ended between listing and reading.
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ticks;
    }

    /** Thread ids of every thread but HotSpot's own ({@link #JVM_INTERNAL}): event loops, workers, main. */
    public static List<Long> applicationThreadIds(long pid) {
        List<Long> ids = new java.util.ArrayList<>();
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(tasks)) {
            for (Path task : dir) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim();
                    if (JVM_INTERNAL.stream().noneMatch(name::startsWith)) {
                        ids.add(Long.parseLong(task.getFileName().toString()));
                    }
                } catch (NoSuchFileException exited) {
                    // The thread ended between listing and reading.
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ids;
    }

    /**
     * How many times the thread gave up its CPU to wait ({@code voluntary_ctxt_switches} in
     * {@code /proc/PID/task/TID/status}): one per sleep, so the count moves each time it is woken and sleeps again.
     * -1 when the thread has ended.
     */
    public static long voluntarySwitches(long pid, long tid) {
        Path status = Path.of("/proc", Long.toString(pid), "task", Long.toString(tid), "status");
        try {
            return Files.readAllLines(status).stream()
                    .filter(l -> l.startsWith("voluntary_ctxt_switches:"))
                    .mapToLong(
                            l -> Long.parseLong(l.substring(l.indexOf(':') + 1).trim()))
                    .findFirst()
                    .orElse(-1);
        } catch (NoSuchFileException exited) {
            return -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ticks of every thread but HotSpot's own ({@link #JVM_INTERNAL}): the application's threads. */
    public static long applicationCpuTicks(long pid) {
        return cpuTicksByName(pid).entrySet().stream()
                .filter(e -> JVM_INTERNAL.stream().noneMatch(e.getKey()::startsWith))
                .mapToLong(Map.Entry::getValue)
                .sum();
    }
}
