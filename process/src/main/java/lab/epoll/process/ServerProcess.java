package lab.epoll.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lab.epoll.catalog.JavaRuntime;
import lab.epoll.catalog.ServerOption.Name;
import lab.epoll.catalog.ServerVariant;
import lab.epoll.catalog.ServerVariant.Feature;

/**
 * A server variant running as its own JVM, the way a user runs it: {@code java -jar VARIANT.jar ARGS}. Its
 * stdout and stderr are collected line by line; {@link #start} returns once it printed {@code listening on}.
 *
 * <p>Beside the process itself it gives tests what they ask of a server: its counters (the {@code stats:} lines
 * of {@code --stats-interval} and the {@code stopped:} summary, for variants with {@link Feature#COUNTERS}; asking
 * a variant without them fails, so a test that reads counters must assume the feature first), its open fds
 * compared with the count it had when it started listening, and the checked end of a test, {@link #stopChecked()}.
 *
 * <p>The checked stop is where leaks show: the server runs Netty's leak detector in paranoid mode, but the
 * detector only reports a buffer once the garbage collector has found it unreachable and a later allocation
 * looks at the reference queue. So {@link #stopChecked()} first forces a full GC in the server
 * ({@code jcmd PID GC.run}, through {@link DiagnosticCommand}), then echoes one probe message (an allocation),
 * then sends SIGTERM; the server must then exit 0 without a {@code LEAK:} line, and print its {@code stopped:}
 * summary if it keeps counters.
 * {@link #close()} instead kills the process, for when a test has already failed.
 */
public final class ServerProcess implements AutoCloseable {
    private static final Pattern METRICS_URL = Pattern.compile("metrics=(\\S+?/metrics)");
    private static final Pattern LISTENING = Pattern.compile("^listening on (\\S+):(\\d+)\\b.*");
    /** Every server JVM the lab starts for tests runs Netty's leak detector at its strictest. */
    public static final List<String> TEST_JVM_ARGS = List.of("-Xmx512m", "-Dio.netty.leakDetection.level=paranoid");
    /** How long a test waits for a condition before failing: generous, because other builds share the machine. */
    public static final Duration WAIT = Duration.ofSeconds(Long.getLong("lab.wait.seconds", 60));
    /** The leak probe of {@link #stopChecked()} is one more accepted (and closed) connection in the summary. */
    public static final int LEAK_PROBE_CONNECTIONS = 1;

    private static final byte[] LEAK_PROBE = "leak probe\n".getBytes(StandardCharsets.US_ASCII);
    /** The bytes the leak probe adds to the summary's {@code bytes-in} and {@code bytes-out}. */
    public static final int LEAK_PROBE_BYTES = LEAK_PROBE.length;

    /** Each variant's Java runtime, by variant name, once found ({@link #runtimeOf}). */
    private static final Map<String, JavaRuntime> RUNTIMES = new ConcurrentHashMap<>();

    private final ServerVariant variant;
    private final Process process;
    private final List<String> stdout = new CopyOnWriteArrayList<>();
    private final List<String> stderr = new CopyOnWriteArrayList<>();
    private final CountDownLatch outputClosed = new CountDownLatch(2);
    private volatile String host;
    private volatile int port = -1;
    private int baselineFds = -1;
    private boolean stoppedChecked;
    private ServerCounters summary;

    /** Stops the server when the JVM exits without {@link #close()}. */
    private final Thread orphanGuard;

    private ServerProcess(ServerVariant variant, Process process) {
        this.variant = variant;
        this.process = process;
        this.orphanGuard = new Thread(process::destroyForcibly, "stop-server-" + process.pid());
        // A JVM that exits without closing us (a JMH fork ends with System.exit when a trial fails) must not
        // leave a server running: it would hold its port, its CPU and its memory until someone kills it.
        Runtime.getRuntime().addShutdownHook(orphanGuard);
        pump(process.getInputStream(), stdout, "stdout");
        pump(process.getErrorStream(), stderr, "stderr");
    }

    /** Launches the variant's jar and waits until it is listening; fails with its output if it exits instead. */
    public static ServerProcess start(ServerVariant variant, List<String> jvmArgs, String... serverArgs) {
        ServerProcess server = launch(variant, jvmArgs, serverArgs);
        server.awaitListening(Duration.ofSeconds(30));
        return server;
    }

    /** Starts the variant with the test JVM flags on a free port. */
    public static ServerProcess start(ServerVariant variant, String... serverArgs) {
        List<String> args = new ArrayList<>(List.of(Name.PORT, "0"));
        args.addAll(List.of(serverArgs));
        return start(variant, TEST_JVM_ARGS, args.toArray(String[]::new));
    }

    /** Launches the variant's jar without waiting for anything, e.g. to watch it refuse bad options. */
    public static ServerProcess launch(ServerVariant variant, List<String> jvmArgs, String... serverArgs) {
        return launchWrapped(List.of(), variant, jvmArgs, serverArgs);
    }

    /**
     * Like {@link #start(ServerVariant, String...)} (free port, test JVM flags), but runs {@code java} through a
     * command prefix that must end by exec'ing its arguments, such as {@link #openFileLimit(int)}; the process's
     * pid is then the server JVM's own.
     */
    public static ServerProcess startWrapped(List<String> commandPrefix, ServerVariant variant, String... serverArgs) {
        List<String> args = new ArrayList<>(List.of(Name.PORT, "0"));
        args.addAll(List.of(serverArgs));
        ServerProcess server = launchWrapped(commandPrefix, variant, TEST_JVM_ARGS, args.toArray(String[]::new));
        server.awaitListening(Duration.ofSeconds(30));
        return server;
    }

    /** Like {@link #start(ServerVariant, List, String...)}, with {@code java ...} run through {@code commandPrefix}. */
    public static ServerProcess startWrapped(
            List<String> commandPrefix, ServerVariant variant, List<String> jvmArgs, String... serverArgs) {
        return startWrapped(commandPrefix, variant, runtimeOf(variant), jvmArgs, serverArgs);
    }

    /** Like {@link #startWrapped(List, ServerVariant, List, String...)}, on a given Java runtime, e.g. Java 25. */
    public static ServerProcess startWrapped(
            List<String> commandPrefix,
            ServerVariant variant,
            JavaRuntime runtime,
            List<String> jvmArgs,
            String... serverArgs) {
        List<String> flags =
                new ArrayList<>(runtime.equals(runtimeOf(variant)) ? StartupArchive.jvmFlags(variant) : List.of());
        flags.addAll(jvmArgs);
        ServerProcess server = launchPlain(commandPrefix, variant, runtime, flags, serverArgs);
        server.awaitListening(Duration.ofSeconds(30));
        return server;
    }

    /** Like {@link #launch}, with {@code java ...} run as the arguments of {@code commandPrefix}. */
    public static ServerProcess launchWrapped(
            List<String> commandPrefix, ServerVariant variant, List<String> jvmArgs, String... serverArgs) {
        List<String> flags = new ArrayList<>(StartupArchive.jvmFlags(variant));
        flags.addAll(jvmArgs);
        return launchPlain(commandPrefix, variant, runtimeOf(variant), flags, serverArgs);
    }

    /**
     * The Java runtime {@code variant}'s servers run on ({@link JavaRuntime#forVariant}), looked for once per
     * variant rather than at each of the hundreds of launches; a variant that needs a newer Java than this machine
     * has fails here with one line saying where the lab looked.
     */
    public static JavaRuntime runtimeOf(ServerVariant variant) {
        return RUNTIMES.computeIfAbsent(
                variant.name(),
                name -> JavaRuntime.forVariant(variant)
                        .orElseThrow(() -> new IllegalStateException(variant + ": "
                                + JavaRuntime.missing(variant.ioModel().minimumJava()))));
    }

    /** {@link #launchWrapped} without a {@link StartupArchive}, e.g. to make one. */
    static ServerProcess launchPlain(
            List<String> commandPrefix,
            ServerVariant variant,
            JavaRuntime runtime,
            List<String> jvmArgs,
            String... serverArgs) {
        List<String> command = new ArrayList<>(commandPrefix);
        command.add(runtime.java().toString());
        command.addAll(jvmArgs);
        command.addAll(variant.jvmArgs());
        command.add("-jar");
        command.add(variant.jarPath().toString());
        command.addAll(variant.serverArgs());
        command.addAll(List.of(serverArgs));
        try {
            return new ServerProcess(
                    variant,
                    new ProcessBuilder(command)
                            .redirectInput(ProcessBuilder.Redirect.PIPE)
                            .start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /**
     * A command prefix that lowers the open-file limit (soft and hard, {@code ulimit -n}) to {@code limit} and then
     * execs the server, so the JVM itself runs under that limit: {@code bash -c 'ulimit -n N && exec "$@"' ...}.
     */
    public static List<String> openFileLimit(int limit) {
        return List.of("bash", "-c", "ulimit -n " + limit + " && exec \"$@\"", "bash");
    }

    private void pump(InputStream stream, List<String> lines, String name) {
        Thread thread = new Thread(
                () -> {
                    try (BufferedReader reader =
                            new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = reader.readLine()) != null) {
                            if (lines == stdout && port < 0) {
                                Matcher m = LISTENING.matcher(line);
                                if (m.matches()) {
                                    host = m.group(1);
                                    port = Integer.parseInt(m.group(2));
                                }
                            }
                            lines.add(line);
                        }
                    } catch (IOException ignored) {
                        // The process died; its exit code tells the rest.
                    } finally {
                        outputClosed.countDown();
                    }
                },
                "server-" + name + "-" + process.pid());
        thread.setDaemon(true);
        thread.start();
    }

    void awaitListening(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (port < 0) {
            if (!process.isAlive()) {
                awaitOutput();
                throw new IllegalStateException(
                        "server exited with " + process.exitValue() + " before listening:\n" + output());
            }
            if (System.nanoTime() > deadline) {
                close();
                throw new IllegalStateException(
                        "server did not print 'listening on' within " + timeout + ":\n" + output());
            }
            try {
                process.waitFor(10, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        baselineFds = ProcFs.openFdCount(pid());
    }

    public ServerVariant variant() {
        return variant;
    }

    public long pid() {
        return process.pid();
    }

    public int port() {
        return port;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(host, port);
    }

    public EchoClient connect() {
        return EchoClient.connect(address());
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Sends a signal by name ({@code TERM}, {@code INT}, {@code KILL}) with kill(1), as an operator would. */
    public void signal(String name) {
        Signals.send(pid(), name);
    }

    /** Waits for the process to exit and for its output to be read to the end; returns the exit code. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("server still running after " + timeout + ":\n" + output());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        awaitOutput();
        return process.exitValue();
    }

    private void awaitOutput() {
        try {
            outputClosed.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public List<String> stdout() {
        return List.copyOf(stdout);
    }

    public List<String> stderr() {
        return List.copyOf(stderr);
    }

    /** Both streams, for failure messages. */
    public String output() {
        return "--- stdout\n" + String.join("\n", stdout) + "\n--- stderr\n" + String.join("\n", stderr);
    }

    /** The {@code metrics=HOST:PORT/metrics} endpoint the listening line names (started with --metrics-port). */
    public URI metricsEndpoint() {
        Matcher m = METRICS_URL.matcher(String.join("\n", stdout));
        if (!m.find()) {
            throw new IllegalStateException(
                    "no metrics= on the listening line (was " + Name.METRICS_PORT + " given?)\n" + tail());
        }
        return MetricsScrape.endpoint(m.group(1));
    }

    /** One scrape of {@link #metricsEndpoint()}. */
    public MetricsScrape scrapeMetrics() {
        return MetricsScrape.of(metricsEndpoint());
    }

    /** Lines in which Netty's leak detector reported a buffer that was never released. */
    public List<String> leakReports() {
        return stderr.stream().filter(line -> line.contains("LEAK:")).toList();
    }

    /** The last lines of the server's output, for failure messages. */
    public String tail() {
        List<String> err = stderr();
        List<String> recent = err.subList(Math.max(0, err.size() - 40), err.size());
        return "--- stdout\n" + String.join("\n", stdout) + "\n--- stderr (last " + recent.size() + " lines)\n"
                + String.join("\n", recent);
    }

    // ---- fds

    /**
     * The server's open fds right after it printed {@code listening on}: listener, epoll, eventfd, timerfd, jars;
     * -1 if it was only {@link #launch}ed.
     */
    public int baselineFds() {
        return baselineFds;
    }

    public int openFds() {
        return ProcFs.openFdCount(pid());
    }

    /**
     * Waits until the server's open fd count is back to what it was at start, or below: every accepted socket is
     * closed. Below, because the count at start may include an fd the JVM held only for a moment then (seen once
     * in a suite that runs cases side by side: 11 after, 12 at start).
     */
    public void awaitFdsAtBaseline() {
        awaitValue("open fds back at the baseline of " + baselineFds, this::openFds, n -> n <= baselineFds);
    }

    // ---- log and counters

    /** The server's log lines (stderr) other than stats lines. */
    public List<String> logLines() {
        return stderr.stream().filter(line -> !ServerCounters.isStatsLine(line)).toList();
    }

    /** How many stderr lines there are now; stats logged after this mark are "new". */
    public int logMark() {
        return stderr.size();
    }

    /** Stats lines logged after {@code mark}, oldest first. */
    public List<ServerCounters> statsSince(int mark) {
        requireCounters();
        List<String> lines = stderr();
        return lines.subList(Math.min(mark, lines.size()), lines.size()).stream()
                .filter(ServerCounters::isStatsLine)
                .map(ServerCounters::fromStatsLine)
                .toList();
    }

    /**
     * Waits for a stats line logged after this call whose counters satisfy {@code condition}, and returns it.
     * Only lines logged after the call count, so the answer describes the server after whatever the test did.
     */
    public ServerCounters awaitStats(String what, Predicate<ServerCounters> condition) {
        int mark = logMark();
        return awaitValue(
                        what,
                        () -> {
                            List<ServerCounters> fresh = statsSince(mark);
                            return fresh.isEmpty()
                                    ? Optional.<ServerCounters>empty()
                                    : Optional.of(fresh.get(fresh.size() - 1));
                        },
                        c -> c.isPresent() && condition.test(c.get()))
                .orElseThrow();
    }

    /** Polls {@code value} until it satisfies {@code condition}; after {@link #WAIT} fails with the last value. */
    public <T> T awaitValue(String what, Supplier<T> value, Predicate<T> condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            T current = value.get();
            if (condition.test(current)) {
                return current;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(variant + " server: not " + what + " within " + WAIT + "; last value: "
                        + current + "\n" + tail());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }

    // ---- the checked stop

    /** Forces a full garbage collection in the server, so the leak detector can see unreleased buffers. */
    public void collectGarbage() {
        DiagnosticCommand.run(pid(), "GC.run");
    }

    /** {@link #stopChecked(String)} with SIGTERM: the checked end of every test whose server runs to the end. */
    public void stopChecked() {
        stopChecked("TERM");
    }

    /**
     * GC, leak probe, then {@code signal}; then {@link #awaitGracefulExit}. Does nothing the second time, so a
     * test may stop its server itself and an extension may still call this afterwards.
     */
    public void stopChecked(String signal) {
        if (stoppedChecked) {
            return;
        }
        collectGarbage();
        try (EchoClient probe = connect()) {
            byte[] echo = probe.roundTrip(LEAK_PROBE);
            if (!Arrays.equals(echo, LEAK_PROBE)) {
                throw new AssertionError(variant + " server: the leak probe came back as "
                        + new String(echo, StandardCharsets.ISO_8859_1) + "\n" + tail());
            }
        }
        signal(signal);
        awaitGracefulExit(WAIT);
    }

    /**
     * After a test sent the signal itself: waits for exit 0 and fails on a Netty leak report, or on a missing
     * {@code stopped:} summary from a variant with {@link Feature#COUNTERS}.
     */
    public void awaitGracefulExit(Duration timeout) {
        int code = awaitExit(timeout);
        stoppedChecked = true;
        if (code != 0) {
            throw new AssertionError(variant + " server exited with " + code + " after a signal, not 0\n" + output());
        }
        if (!leakReports().isEmpty()) {
            throw new AssertionError(variant + " server reported Netty buffer leaks\n" + output());
        }
        if (variant.has(Feature.COUNTERS)) {
            summary = ServerCounters.summary(stdout())
                    .orElseThrow(
                            () -> new AssertionError(variant + " server printed no 'stopped:' summary\n" + output()));
        }
    }

    /** The {@code stopped:} summary of a checked stop; it counts the leak probe ({@link #LEAK_PROBE_CONNECTIONS}). */
    public ServerCounters summary() {
        requireCounters();
        if (summary == null) {
            throw new IllegalStateException(variant + " server has not been stopped with a check yet");
        }
        return summary;
    }

    /** Fails a test that reads counters from a variant that keeps none, instead of letting it wait for them. */
    private void requireCounters() {
        if (!variant.has(Feature.COUNTERS)) {
            throw new IllegalStateException(variant + " server keeps no counters: a test that reads them starts "
                    + "with assumeTrue(variant.has(Feature.COUNTERS))");
        }
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(orphanGuard);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or about to: it stops the server.
        }
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
