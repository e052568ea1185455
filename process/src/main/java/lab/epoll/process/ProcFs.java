package lab.epoll.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lab.epoll.catalog.EpollFlags;
import lab.epoll.catalog.JavaRuntime;

/**
 * What Linux's {@code /proc} says about a process: its open fds, what its epoll instances watch and with which
 * flags, its TCP sockets, CPU time and memory. Tests use it to prove facts the server cannot fake, such as the
 * {@code EPOLLET} bit actually registered for an accepted socket.
 */
public final class ProcFs {
    /**
     * System call numbers of the epoll waits on this machine's architecture: x86_64 has epoll_wait (232),
     * epoll_pwait (281) and epoll_pwait2 (441); aarch64 has no plain epoll_wait, only epoll_pwait (22) and
     * epoll_pwait2 (441). Netty's event loop uses epoll_pwait2 when the kernel has it and a timeout is due.
     */
    public static final Set<Integer> EPOLL_WAIT_SYSCALLS =
            "aarch64".equals(System.getProperty("os.arch")) ? Set.of(22, 441) : Set.of(232, 281, 441);

    private static final Pattern TFD =
            Pattern.compile("^tfd:\\s*(\\d+)\\s+events:\\s*([0-9a-f]+)\\s+data:\\s*([0-9a-f]+).*");

    private ProcFs() {}

    /** One fd registered in one epoll instance, as {@code /proc/PID/fdinfo/EPFD} lists it. */
    public record EpollRegistration(int epollFd, int fd, long events, String fdTarget) {
        /** Whether the registration has one of {@link EpollFlags}' bits. */
        public boolean has(int flag) {
            return EpollFlags.has(events, flag);
        }
    }

    /**
     * A thread blocked in a system call, from {@code /proc/PID/task/TID/syscall}: the call's number and its first
     * argument (for the epoll waits, the epoll fd the thread waits on).
     */
    public record BlockedThread(long tid, String name, int syscall, long firstArgument) {
        public boolean inEpollWait() {
            return EPOLL_WAIT_SYSCALLS.contains(syscall);
        }
    }

    /** A TCP socket from {@code /proc/PID/net/tcp[6]}; {@code state} is the kernel's code, 0x0A = LISTEN. */
    public record TcpSocket(long inode, int localPort, int remotePort, int state) {}

    /** fd number to what it points at: {@code socket:[123]}, {@code anon_inode:[eventpoll]}, a path, ... */
    public static Map<Integer, String> fds(long pid) {
        Map<Integer, String> fds = new HashMap<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : dir) {
                try {
                    fds.put(
                            Integer.parseInt(fd.getFileName().toString()),
                            Files.readSymbolicLink(fd).toString());
                } catch (NoSuchFileException closedMeanwhile) {
                    // The fd was closed between listing and reading it.
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return fds;
    }

    public static int openFdCount(long pid) {
        return fds(pid).size();
    }

    /** Every registration in every epoll instance the process has open. */
    public static List<EpollRegistration> epollRegistrations(long pid) {
        Map<Integer, String> fds = fds(pid);
        List<EpollRegistration> registrations = new ArrayList<>();
        for (Map.Entry<Integer, String> entry : fds.entrySet()) {
            if (!entry.getValue().equals("anon_inode:[eventpoll]")) {
                continue;
            }
            for (String line : readLines(Path.of(
                    "/proc", Long.toString(pid), "fdinfo", entry.getKey().toString()))) {
                Matcher m = TFD.matcher(line.trim());
                if (m.matches()) {
                    int fd = Integer.parseInt(m.group(1));
                    registrations.add(new EpollRegistration(
                            entry.getKey(), fd, Long.parseLong(m.group(2), 16), fds.getOrDefault(fd, "?")));
                }
            }
        }
        return registrations;
    }

    /**
     * The process's threads that are blocked in a system call right now. {@code /proc/PID/task/TID/syscall} reads
     * {@code NR ARG1 ARG2 ... SP PC} for a thread blocked in system call NR (arguments in hex), {@code running}
     * for one on a CPU and {@code -1 SP PC} for one blocked outside any system call; only the first kind is
     * returned. Reading it needs ptrace access to the process (the same user suffices).
     */
    public static List<BlockedThread> blockedThreads(long pid) {
        List<BlockedThread> threads = new ArrayList<>();
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(tasks)) {
            for (Path task : dir) {
                String syscall;
                String name;
                try {
                    syscall = Files.readString(task.resolve("syscall")).trim();
                    name = Files.readString(task.resolve("comm")).trim();
                } catch (NoSuchFileException exitedMeanwhile) {
                    continue;
                }
                String[] f = syscall.split("\\s+");
                if (f.length < 2 || !f[0].matches("\\d+")) {
                    continue;
                }
                threads.add(new BlockedThread(
                        Long.parseLong(task.getFileName().toString()),
                        name,
                        Integer.parseInt(f[0]),
                        Long.parseUnsignedLong(f[1].replaceFirst("^0x", ""), 16)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return threads;
    }

    /** Threads blocked in epoll_wait, epoll_pwait or epoll_pwait2, by the epoll fd they wait on. */
    public static Map<Integer, List<BlockedThread>> epollWaiters(long pid) {
        Map<Integer, List<BlockedThread>> waiters = new TreeMap<>();
        for (BlockedThread thread : blockedThreads(pid)) {
            if (thread.inEpollWait()) {
                waiters.computeIfAbsent((int) thread.firstArgument(), fd -> new ArrayList<>())
                        .add(thread);
            }
        }
        return waiters;
    }

    /** The process's TCP sockets (IPv4 and IPv6) by inode, the number {@code socket:[N]} fd links carry. */
    public static Map<Long, TcpSocket> tcpSockets(long pid) {
        Map<Long, TcpSocket> sockets = new HashMap<>();
        for (String table : new String[] {"tcp", "tcp6"}) {
            Path path = Path.of("/proc", Long.toString(pid), "net", table);
            if (!Files.exists(path)) {
                continue;
            }
            List<String> lines = readLines(path);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                long inode = Long.parseLong(f[9]);
                sockets.put(inode, new TcpSocket(inode, port(f[1]), port(f[2]), Integer.parseInt(f[3], 16)));
            }
        }
        return sockets;
    }

    /** The inode of a {@code socket:[N]} fd target, or -1 for anything that is not a socket. */
    public static long socketInode(String fdTarget) {
        return fdTarget.startsWith("socket:[") ? Long.parseLong(fdTarget.substring(8, fdTarget.length() - 1)) : -1;
    }

    private static int port(String hexAddress) {
        return Integer.parseInt(hexAddress.substring(hexAddress.indexOf(':') + 1), 16);
    }

    /** User plus system CPU time the process has used, in clock ticks (USER_HZ, 100 per second on Linux). */
    public static long cpuTicks(long pid) {
        return cpuTicksOfStat(
                readLines(Path.of("/proc", Long.toString(pid), "stat")).get(0));
    }

    /** utime + stime of a {@code /proc/PID/stat} or {@code /proc/PID/task/TID/stat} line, in clock ticks. */
    static long cpuTicksOfStat(String stat) {
        // Fields after the command name, which is in parentheses and may contain spaces.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** A {@code kB} field of {@code /proc/PID/status} in bytes, e.g. {@code VmRSS} or {@code VmHWM} (peak RSS). */
    public static long statusBytes(long pid, String field) {
        return statusNumber(pid, field) * 1024;
    }

    /** A number field of {@code /proc/PID/status} as it stands, e.g. {@code Threads}. */
    public static long statusNumber(long pid, String field) {
        for (String line : readLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
            }
        }
        throw new IllegalArgumentException("no " + field + " in /proc/" + pid + "/status");
    }

    /** The Java runtime a JVM process runs on, from its executable ({@code /proc/PID/exe} is HOME/bin/java). */
    public static Optional<JavaRuntime> javaRuntime(long pid) {
        try {
            Path exe = Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "exe"));
            return JavaRuntime.at(exe.getParent().getParent());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static List<String> readLines(Path path) {
        try {
            return Files.readAllLines(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
