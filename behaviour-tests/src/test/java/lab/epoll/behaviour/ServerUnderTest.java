package lab.epoll.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import lab.epoll.testkit.EchoClient;
import lab.epoll.testkit.ProcFs;
import lab.epoll.testkit.ServerCounters;
import lab.epoll.testkit.ServerProcess;
import lab.epoll.catalog.ServerVariant;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One server process a test runs against, with what the suite asks of it: its counters (from the
 * {@code --stats-interval} lines {@link RunningServers} turns on), its open fds compared with the count it had
 * when it started listening, and a checked shutdown.
 *
 * <p>The shutdown is where leaks show: the server runs Netty's leak detector in paranoid mode, but the detector
 * only reports a buffer once the garbage collector has found it unreachable and a later allocation looks at the
 * reference queue. So {@link #stop()} first forces a full GC in the server ({@code jcmd PID GC.run}), then echoes
 * one probe message (an allocation), then sends SIGTERM; any {@code LEAK:} line then fails the test.
 */
final class ServerUnderTest {
    /** How long a test waits for a condition before failing: generous, because other builds share the machine. */
    static final Duration WAIT = Duration.ofSeconds(Long.getLong("lab.wait.seconds", 60));
    /** The leak probe of {@link #stop()} is one more accepted (and closed) connection in the summary. */
    static final int LEAK_PROBE_CONNECTIONS = 1;
    static final String STATS_INTERVAL = "200ms";

    private static final byte[] PROBE = "leak probe\n".getBytes(StandardCharsets.US_ASCII);

    private final ServerVariant variant;
    private final ServerProcess process;
    private final int baselineFds;
    private ServerCounters summary;

    ServerUnderTest(ServerVariant variant, ServerProcess process) {
        this.variant = variant;
        this.process = process;
        this.baselineFds = ProcFs.openFdCount(process.pid());
    }

    ServerVariant variant() {
        return variant;
    }

    ServerProcess process() {
        return process;
    }

    long pid() {
        return process.pid();
    }

    InetSocketAddress address() {
        return process.address();
    }

    /** The server's open fds right after it printed {@code listening on}: listener, epoll, eventfd, timerfd, jars. */
    int baselineFds() {
        return baselineFds;
    }

    int openFds() {
        return ProcFs.openFdCount(process.pid());
    }

    EchoClient connect() {
        return EchoClient.connect(address());
    }

    /** Waits until the server's open fd count is back to what it was at start: every accepted socket is closed. */
    void awaitFdsAtBaseline() {
        awaitValue("open fds back at the baseline of " + baselineFds, this::openFds, n -> n == baselineFds);
    }

    // ---- counters

    /** The server's log lines (stderr) other than stats lines. */
    List<String> logLines() {
        return process.stderr().stream().filter(line -> !ServerCounters.isStatsLine(line)).toList();
    }

    /** How many stderr lines there are now; stats logged after this mark are "new". */
    int logMark() {
        return process.stderr().size();
    }

    /** Stats lines logged after {@code mark}, oldest first. */
    List<ServerCounters> statsSince(int mark) {
        List<String> lines = process.stderr();
        return lines.subList(Math.min(mark, lines.size()), lines.size()).stream()
                .filter(ServerCounters::isStatsLine).map(ServerCounters::fromStatsLine).toList();
    }

    /**
     * Waits for a stats line logged after this call whose counters satisfy {@code condition}, and returns it.
     * Only lines logged after the call count, so the answer describes the server after whatever the test did.
     */
    ServerCounters awaitStats(String what, Predicate<ServerCounters> condition) {
        int mark = logMark();
        return awaitValue(what, () -> {
            List<ServerCounters> fresh = statsSince(mark);
            return fresh.isEmpty() ? Optional.<ServerCounters>empty() : Optional.of(fresh.get(fresh.size() - 1));
        }, c -> c.isPresent() && condition.test(c.get())).orElseThrow();
    }

    /** Polls {@code value} until it satisfies {@code condition}; on timeout fails with the last value and the log. */
    <T> T awaitValue(String what, Supplier<T> value, Predicate<T> condition) {
        try {
            return Awaitility.await(what).atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
                    .until(value::get, condition::test);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(variant + " server: not " + what + " within " + WAIT + "; last value: "
                    + value.get() + "\n" + tail(), e);
        }
    }

    /** The last lines of the server's output, for failure messages. */
    String tail() {
        List<String> err = process.stderr();
        List<String> recent = err.subList(Math.max(0, err.size() - 40), err.size());
        return "--- stdout\n" + String.join("\n", process.stdout()) + "\n--- stderr (last " + recent.size()
                + " lines)\n" + String.join("\n", recent);
    }

    // ---- shutdown

    boolean stopped() {
        return summary != null;
    }

    /** Forces a full garbage collection in the server, so the leak detector can see unreleased buffers. */
    void collectGarbage() {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process gc = new ProcessBuilder(jcmd.toString(), Long.toString(pid()), "GC.run")
                    .redirectErrorStream(true).start();
            String out = new String(gc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!gc.waitFor(60, TimeUnit.SECONDS) || gc.exitValue() != 0) {
                throw new AssertionError("jcmd " + pid() + " GC.run failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * The checked end of every test: GC, leak probe, SIGTERM; asserts exit 0, a summary line and no leak report,
     * and returns the summary (which counts the probe: {@link #LEAK_PROBE_CONNECTIONS}).
     */
    ServerCounters stop() {
        if (summary != null) {
            return summary;
        }
        collectGarbage();
        try (EchoClient probe = connect()) {
            assertThat(probe.roundTrip(PROBE)).as("leak probe echo").isEqualTo(PROBE);
        }
        process.signal("TERM");
        return awaitGracefulExit(WAIT);
    }

    /** After a test sent the signal itself: waits for exit 0, checks for leaks, returns the summary. */
    ServerCounters awaitGracefulExit(Duration timeout) {
        int code = process.awaitExit(timeout);
        String output = process.output();
        summary = ServerCounters.summary(process.stdout())
                .orElse(new ServerCounters(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1));
        assertThat(code).as("%s server exit code after SIGTERM\n%s", variant, output).isZero();
        assertThat(process.stdout()).as("%s server summary line\n%s", variant, output)
                .anyMatch(line -> line.startsWith("stopped: "));
        assertThat(process.leakReports()).as("%s server Netty leak reports\n%s", variant, output).isEmpty();
        return summary;
    }

    /** Kills the process if it is still running (after a failure); never fails. */
    void kill() {
        process.close();
    }
}
