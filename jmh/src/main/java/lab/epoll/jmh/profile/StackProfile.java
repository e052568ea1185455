package lab.epoll.jmh.profile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import lab.epoll.process.ProcThreads;

/**
 * One server's CPU samples as async-profiler's collapsed stacks ({@code [thread tid=N];frame;...;leaf COUNT},
 * with the {@code threads} option), summed the ways a reader asks about them: the server's own threads against
 * the JVM's (JIT compilers, GC), time with a kernel frame ({@code _[k]}) on top, and the leaf frames that took
 * the most.
 */
record StackProfile(
        String variant,
        long samples,
        long application,
        long jvm,
        long kernel,
        Map<String, Long> leaves,
        Map<String, Long> syscalls) {
    /**
     * The kernel's frame that names a syscall: {@code __x64_sys_sendto}, {@code __do_sys_io_uring_enter}, or for
     * read and write, whose entry the compiler folds away, {@code ksys_write}.
     */
    private static final java.util.regex.Pattern SYSCALL =
            java.util.regex.Pattern.compile("(?:__x64_sys_|__do_sys_|__se_sys_|ksys_)(\\w+?)_\\[k]");
    /** Kernel time outside any syscall: interrupts, softirqs, task work on the way back to user space. */
    static final String NO_SYSCALL = "no syscall";

    static StackProfile read(String variant, Path collapsed) throws IOException {
        return parse(variant, Files.readAllLines(collapsed));
    }

    static StackProfile parse(String variant, List<String> lines) {
        long samples = 0;
        long application = 0;
        long jvm = 0;
        long kernel = 0;
        Map<String, Long> leaves = new HashMap<>();
        Map<String, Long> syscalls = new HashMap<>();
        for (String line : lines) {
            int space = line.lastIndexOf(' ');
            if (line.isBlank() || space < 0) {
                continue;
            }
            long count = Long.parseLong(line.substring(space + 1).trim());
            String[] frames = line.substring(0, space).split(";");
            String thread = frames[0].startsWith("[") ? frames[0].substring(1).replaceFirst(" tid=\\d+]$", "") : "";
            String leaf = frames[frames.length - 1];
            samples += count;
            if (ProcThreads.JVM_INTERNAL.stream().anyMatch(thread::startsWith)) {
                jvm += count;
            } else {
                application += count;
            }
            if (leaf.endsWith("_[k]")) {
                kernel += count;
                String syscall = NO_SYSCALL;
                for (String frame : frames) {
                    java.util.regex.Matcher m = SYSCALL.matcher(frame);
                    if (m.matches()) {
                        syscall = m.group(1);
                        break;
                    }
                }
                syscalls.merge(syscall, count, Long::sum);
            }
            leaves.merge(leaf, count, Long::sum);
        }
        return new StackProfile(variant, samples, application, jvm, kernel, leaves, syscalls);
    }

    double applicationShare() {
        return share(application);
    }

    double jvmShare() {
        return share(jvm);
    }

    double kernelShare() {
        return share(kernel);
    }

    private double share(long part) {
        return samples == 0 ? 0 : part / (double) samples;
    }

    /** The {@code n} leaf frames with the most samples, e.g. {@code `tcp_sendmsg` 6%}. */
    String hottest(int n) {
        return leaves.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(n)
                .map(e -> "`" + e.getKey().replaceFirst("_\\[[a-z]]$", "") + "` "
                        + String.format(Locale.ROOT, "%.0f%%", share(e.getValue()) * 100))
                .collect(Collectors.joining(", "));
    }

    /** Kernel time by the syscall it ran under, the {@code n} largest, e.g. {@code sendto 48%, no syscall 20%}. */
    String kernelBySyscall(int n) {
        return syscalls.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(n)
                .map(e -> e.getKey() + " " + String.format(Locale.ROOT, "%.0f%%", share(e.getValue()) * 100))
                .collect(Collectors.joining(", "));
    }

    String oneLine() {
        return String.format(
                Locale.ROOT,
                "%,d samples, %.0f%% server threads, %.0f%% in the kernel (%s); hottest: %s",
                samples,
                applicationShare() * 100,
                kernelShare() * 100,
                kernelBySyscall(3),
                hottest(3));
    }
}
