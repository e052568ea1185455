package lab.epoll.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lab.epoll.catalog.ServerVariant;

/**
 * A server variant running as its own JVM, the way a user runs it: {@code java -jar VARIANT.jar ARGS}. Its
 * stdout and stderr are collected line by line; {@link #start} returns once it printed {@code listening on}.
 */
public final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("^listening on (\\S+):(\\d+)\\b.*");
    /** Every server JVM the lab starts for tests runs Netty's leak detector at its strictest. */
    public static final List<String> TEST_JVM_ARGS = List.of("-Xmx512m", "-Dio.netty.leakDetection.level=paranoid");

    private final Process process;
    private final List<String> stdout = new CopyOnWriteArrayList<>();
    private final List<String> stderr = new CopyOnWriteArrayList<>();
    private final CountDownLatch outputClosed = new CountDownLatch(2);
    private volatile String host;
    private volatile int port = -1;

    private ServerProcess(Process process) {
        this.process = process;
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
        List<String> args = new ArrayList<>(List.of("--port", "0"));
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
        List<String> args = new ArrayList<>(List.of("--port", "0"));
        args.addAll(List.of(serverArgs));
        ServerProcess server = launchWrapped(commandPrefix, variant, TEST_JVM_ARGS, args.toArray(String[]::new));
        server.awaitListening(Duration.ofSeconds(30));
        return server;
    }

    /** Like {@link #start(ServerVariant, List, String...)}, with {@code java ...} run through {@code commandPrefix}. */
    public static ServerProcess startWrapped(List<String> commandPrefix, ServerVariant variant, List<String> jvmArgs,
                                             String... serverArgs) {
        ServerProcess server = launchWrapped(commandPrefix, variant, jvmArgs, serverArgs);
        server.awaitListening(Duration.ofSeconds(30));
        return server;
    }

    /** Like {@link #launch}, with {@code java ...} run as the arguments of {@code commandPrefix}. */
    public static ServerProcess launchWrapped(List<String> commandPrefix, ServerVariant variant, List<String> jvmArgs,
                                              String... serverArgs) {
        List<String> command = new ArrayList<>(commandPrefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.addAll(variant.jvmArgs());
        command.add("-jar");
        command.add(variant.jarPath().toString());
        command.addAll(variant.serverArgs());
        command.addAll(List.of(serverArgs));
        try {
            return new ServerProcess(new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE).start());
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
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
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
        }, "server-" + name + "-" + process.pid());
        thread.setDaemon(true);
        thread.start();
    }

    private void awaitListening(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (port < 0) {
            if (!process.isAlive()) {
                awaitOutput();
                throw new IllegalStateException("server exited with " + process.exitValue()
                        + " before listening:\n" + output());
            }
            if (System.nanoTime() > deadline) {
                close();
                throw new IllegalStateException("server did not print 'listening on' within " + timeout + ":\n"
                        + output());
            }
            try {
                process.waitFor(10, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
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

    /** Lines in which Netty's leak detector reported a buffer that was never released. */
    public List<String> leakReports() {
        return stderr.stream().filter(line -> line.contains("LEAK:")).toList();
    }

    @Override
    public void close() {
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
