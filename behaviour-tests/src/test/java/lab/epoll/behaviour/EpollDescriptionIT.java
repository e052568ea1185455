package lab.epoll.behaviour;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import lab.epoll.catalog.EpollFlags;
import lab.epoll.process.ProcFs;
import lab.epoll.process.ProcFs.EpollRegistration;
import lab.epoll.process.ServerProcess;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An epoll registration belongs to the open file description, not to the fd number it was made with, which is
 * why the lab's engines remove a registration with {@code EPOLL_CTL_DEL} before they close, never dup a
 * registered fd, and never fork. Java can neither dup nor fork, so a small C program
 * ({@code src/test/c/epoll_description.c}) sets each case up with real sockets and pauses while we read the
 * kernel's own record of its epoll sets, {@code /proc/PID/fdinfo/EPFD}, beside the events its
 * {@code epoll_wait} reported:
 * <ul>
 *   <li>dup, then close the original: the set still holds a registration for the closed number and reports
 *       events for it, and neither number can remove it; with {@code EPOLL_CTL_DEL} before the close, nothing
 *       remains;</li>
 *   <li>fork: the child's inherited epoll fd is the same set, so a socket the parent registers afterwards is in
 *       the child's set and the child's {@code epoll_wait}, under a number that in the child is
 *       {@code /dev/null}.</li>
 * </ul>
 */
class EpollDescriptionIT {
    private static final Path SOURCE = Path.of("src/test/c/epoll_description.c");
    private static final Path PROGRAM = Path.of("target/epoll-description/epoll_description");

    private static final boolean GCC = onPath("gcc");

    @BeforeAll
    static void compile() throws IOException, InterruptedException {
        if (!GCC) {
            return;
        }
        Files.createDirectories(PROGRAM.getParent());
        Process gcc = new ProcessBuilder("gcc", "-O2", "-Wall", "-Wextra", "-o", PROGRAM.toString(), SOURCE.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(gcc.getInputStream().readAllBytes(), US_ASCII);
        assertThat(gcc.waitFor()).as("gcc %s: %s", SOURCE, output).isZero();
    }

    /** Per test rather than per class, so each shows as skipped with the reason. */
    @BeforeEach
    void needsGcc() {
        Assumptions.assumeTrue(GCC, "gcc not on PATH: cannot build the C program that dups and forks");
    }

    @Test
    void aRegistrationOutlivesItsClosedFdWhileADuplicateHoldsTheDescription() {
        try (Program program = Program.start("dup-close")) {
            program.await("leak", "pause");
            Line leak = program.await("leak", "fds");
            int epfd = leak.number("epfd");
            int closed = leak.number("closed_fd");
            long pid = program.pid();
            List<String> leakedLines = tfdLines(pid, epfd);
            assertThat(ProcFs.fds(pid)).as("fds of the paused program").doesNotContainKey(closed);
            assertThat(registrations(pid, epfd))
                    .as("/proc/%d/fdinfo/%d: %s", pid, epfd, leakedLines)
                    .singleElement()
                    .satisfies(r -> {
                        assertThat(r.fd()).as("tfd").isEqualTo(closed);
                        assertThat(r.fdTarget())
                                .as("what fd %d is in the program", closed)
                                .isEqualTo("?");
                        assertThat(r.has(EpollFlags.EPOLLIN)).as("EPOLLIN").isTrue();
                    });
            assertThat(program.all("leak", "event"))
                    .as("epoll_wait's events after close(%d)", closed)
                    .extracting(e -> e.number("fd"))
                    .containsExactly(closed);
            // Why the rule says "before": afterwards neither number reaches the registration.
            assertThat(program.await("leak", "del").values())
                    .containsEntry("closed_fd", "EBADF")
                    .containsEntry("dup_fd", "ENOENT");
            program.proceed();

            program.await("control", "pause");
            Line control = program.await("control", "fds");
            int controlEpfd = control.number("epfd");
            assertThat(registrations(pid, controlEpfd))
                    .as("/proc/%d/fdinfo/%d after EPOLL_CTL_DEL, dup kept open", pid, controlEpfd)
                    .isEmpty();
            assertThat(program.all("control", "event"))
                    .as("epoll_wait's events after EPOLL_CTL_DEL")
                    .isEmpty();
            assertThat(program.await("control", "waited").number("n")).isZero();
            program.proceed();
            program.await("done", "");
            program.assertExitsZero();
            System.out.printf(
                    "dup-close: closed fd %d (dup %d) still registered in epoll fd %d, %d event(s) for it:"
                            + " %s; after EPOLL_CTL_DEL: 0 registrations, 0 events%n",
                    closed,
                    leak.number("dup_fd"),
                    epfd,
                    program.all("leak", "event").size(),
                    leakedLines);
        }
    }

    @Test
    void anEpollFdInheritedAcrossForkIsTheParentsSetWithItsLaterRegistrations() {
        try (Program program = Program.start("fork")) {
            program.await("parent", "pause");
            program.await("child", "pause");
            Line parent = program.await("parent", "fds");
            Line child = program.await("child", "fds");
            int epfd = parent.number("epfd");
            int added = parent.number("added_fd");
            long childPid = child.number("pid");
            assertThat(program.descendants()).as("the program's processes").contains(childPid);
            List<String> childLines = tfdLines(childPid, epfd);
            assertThat(registrations(childPid, epfd))
                    .as("/proc/%d/fdinfo/%d (the child): %s", childPid, epfd, childLines)
                    .singleElement()
                    .satisfies(r -> {
                        assertThat(r.fd())
                                .as("tfd, the parent's fd added after the fork")
                                .isEqualTo(added);
                        // The child's own fd of that number is another file: the events are not about it.
                        assertThat(r.fdTarget())
                                .as("what fd %d is in the child", added)
                                .isEqualTo("/dev/null");
                    });
            assertThat(program.all("child", "event"))
                    .as("the child's epoll_wait")
                    .extracting(e -> e.number("fd"))
                    .containsExactly(added);
            program.proceed();
            assertThat(program.await("done", "").values()).containsEntry("child_exit", "0");
            program.assertExitsZero();
            System.out.printf(
                    "fork: parent added fd %d after the fork; child %d sees in epoll fd %d: %s, and %d"
                            + " event(s) for it, where its own fd %d is /dev/null%n",
                    added,
                    childPid,
                    epfd,
                    childLines,
                    program.all("child", "event").size(),
                    added);
        }
    }

    private static List<EpollRegistration> registrations(long pid, int epfd) {
        return ProcFs.epollRegistrations(pid).stream()
                .filter(r -> r.epollFd() == epfd)
                .toList();
    }

    /** The raw {@code tfd:} lines, for messages: what the kernel wrote, before any parsing. */
    private static List<String> tfdLines(long pid, int epfd) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "fdinfo", Integer.toString(epfd))).stream()
                    .filter(l -> l.startsWith("tfd:"))
                    .map(l -> l.replaceAll("\\s+", " "))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean onPath(String command) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, command)));
    }

    /** One output line, {@code PHASE KIND key=value ...}; KIND is empty when the line has none. */
    record Line(String phase, String kind, Map<String, String> values) {
        static Line parse(String text) {
            String[] tokens = text.trim().split("\\s+");
            String kind = "";
            Map<String, String> values = new HashMap<>();
            for (int i = 1; i < tokens.length; i++) {
                int eq = tokens[i].indexOf('=');
                if (eq > 0) {
                    values.put(tokens[i].substring(0, eq), tokens[i].substring(eq + 1));
                } else if (kind.isEmpty()) {
                    kind = tokens[i];
                }
            }
            return new Line(tokens[0], kind, values);
        }

        int number(String key) {
            String value = values.get(key);
            assertThat(value).as("%s in %s", key, this).isNotNull();
            return Integer.parseInt(value);
        }
    }

    /**
     * The C program as a process: its stdout and stderr as one transcript, read on a thread so that waiting for
     * a line has a deadline; closing it kills the program and whatever it forked.
     */
    private static final class Program implements AutoCloseable {
        private static final String EOF = "\0eof";
        private final Process process;
        private final BlockingQueue<String> incoming = new LinkedBlockingQueue<>();
        private final List<String> transcript = new ArrayList<>();

        private Program(Process process) {
            this.process = process;
            Thread reader = new Thread(
                    () -> {
                        try (BufferedReader out =
                                new BufferedReader(new InputStreamReader(process.getInputStream(), US_ASCII))) {
                            for (String line; (line = out.readLine()) != null; ) {
                                incoming.add(line);
                            }
                        } catch (IOException closedByDestroy) {
                            // The test is over; the transcript has what came before.
                        } finally {
                            incoming.add(EOF);
                        }
                    },
                    "epoll_description output");
            reader.setDaemon(true);
            reader.start();
        }

        static Program start(String mode) {
            try {
                return new Program(new ProcessBuilder(PROGRAM.toString(), mode)
                        .redirectErrorStream(true)
                        .start());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        long pid() {
            return process.pid();
        }

        List<Long> descendants() {
            return process.descendants().map(ProcessHandle::pid).toList();
        }

        /** The first line of this phase and kind, waiting for it up to the suite's timeout. */
        Line await(String phase, String kind) {
            long deadline = System.nanoTime() + ServerProcess.WAIT.toNanos();
            while (true) {
                for (String text : transcript) {
                    Line line = Line.parse(text);
                    if (line.phase().equals(phase) && line.kind().equals(kind)) {
                        return line;
                    }
                }
                String next;
                try {
                    next = incoming.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted waiting for '" + phase + " " + kind + "'", e);
                }
                if (next == null || next.equals(EOF)) {
                    if (next != null) {
                        incoming.add(EOF);
                    }
                    throw new AssertionError((next == null ? "no '" : "the program ended before '") + phase + " "
                            + kind + "' within " + ServerProcess.WAIT + "; it printed:\n"
                            + String.join("\n", transcript));
                }
                transcript.add(next);
            }
        }

        /** Every line of this phase and kind seen so far: after the phase's pause line, all it printed. */
        List<Line> all(String phase, String kind) {
            return transcript.stream()
                    .map(Line::parse)
                    .filter(l -> l.phase().equals(phase) && l.kind().equals(kind))
                    .collect(Collectors.toList());
        }

        /** Ends the current pause. */
        void proceed() {
            try {
                OutputStream in = process.getOutputStream();
                in.write('\n');
                in.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void assertExitsZero() {
            try {
                assertThat(process.waitFor(ServerProcess.WAIT.toMillis(), TimeUnit.MILLISECONDS))
                        .as("the program exits")
                        .isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            assertThat(process.exitValue())
                    .as("exit code; it printed:\n%s", String.join("\n", transcript))
                    .isZero();
        }

        @Override
        public void close() {
            // The forked child first: once its parent is gone it is no longer listed as a descendant.
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.waitFor(ServerProcess.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
