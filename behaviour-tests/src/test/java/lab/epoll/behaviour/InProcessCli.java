package lab.epoll.behaviour;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.jar.JarFile;
import lab.epoll.catalog.ServerOption.Name;
import lab.epoll.catalog.ServerVariant;

/**
 * Runs a variant's command line inside the test JVM, as its jar's {@code main} would but without
 * {@code System.exit}: the jar's Main-Class through its own {@code ServerCli.execute}, with picocli's out and err
 * captured. Each jar gets its own class loader whose parent is the platform loader, so the shaded Netty 4.1 and
 * 4.2 jars never meet and nothing of the test classpath stands in for a class of the jar's.
 *
 * <p>It is meant for command lines the server must refuse. One it wrongly accepts would start a server in this
 * JVM, so every run gets a port that a listener here already holds: the server's bind then fails (exit 1, not
 * 2) instead of serving, and a run that still has not returned after {@link #TIMEOUT} fails too.
 */
final class InProcessCli {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    /**
     * JVM flags of a variant that only choose what the running server uses, read after validation: the in-process
     * run leaves them out (a system property here would be the whole test JVM's), real launches apply them.
     */
    private static final List<String> RUNTIME_ONLY_FLAGS = List.of("-Djava.nio.channels.spi.SelectorProvider=");

    private static final Map<Path, Jar> JARS = new ConcurrentHashMap<>();

    /** What a run printed and returned; the lines as a user would see them on stdout and stderr. */
    record Result(int exit, List<String> stdout, List<String> stderr) {
        String output() {
            return "exit " + exit + "\n--- stdout\n" + String.join("\n", stdout) + "\n--- stderr\n"
                    + String.join("\n", stderr);
        }
    }

    /** One jar's loader, command class and {@code ServerCli.execute(Object, PrintWriter, PrintWriter, String...)}. */
    private record Jar(ClassLoader loader, Class<?> command, Method execute) {
        static Jar load(Path path) {
            try (JarFile jar = new JarFile(path.toFile())) {
                String main = jar.getManifest().getMainAttributes().getValue("Main-Class");
                ClassLoader loader = new URLClassLoader(
                        path.getFileName().toString(),
                        new URL[] {path.toUri().toURL()},
                        ClassLoader.getPlatformClassLoader());
                Method execute = loader.loadClass("lab.epoll.common.cli.ServerCli")
                        .getMethod("execute", Object.class, PrintWriter.class, PrintWriter.class, String[].class);
                return new Jar(loader, loader.loadClass(main), execute);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + path, e);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(path + " has no command to run in process (rebuild it?)", e);
            }
        }
    }

    private InProcessCli() {}

    /** Runs {@code variant}'s jar with its fixed server args and then {@code args}, as a launch would. */
    static Result run(ServerVariant variant, List<String> args) {
        requireRuntimeOnlyJvmFlags(variant);
        Jar jar = JARS.computeIfAbsent(variant.jarPath(), Jar::load);
        List<String> command = new ArrayList<>(variant.serverArgs());
        command.addAll(args);
        if (!args.contains(Name.PORT) && !args.contains(Name.PORT_SHORT)) {
            command.addAll(List.of(Name.PORT, Integer.toString(OccupiedPort.PORT)));
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        FutureTask<Object> call = new FutureTask<>(() -> jar.execute()
                .invoke(
                        null,
                        jar.command().getConstructor().newInstance(),
                        new PrintWriter(out, true),
                        new PrintWriter(err, true),
                        command.toArray(String[]::new)));
        Thread thread = new Thread(call, variant.commandName() + "-in-process");
        // As in its own JVM, where the jar is the application class path.
        thread.setContextClassLoader(jar.loader());
        // A server wrongly started here must not keep the test JVM alive.
        thread.setDaemon(true);
        thread.start();
        try {
            int exit = (Integer) call.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return new Result(
                    exit,
                    out.toString().lines().toList(),
                    err.toString().lines().toList());
        } catch (TimeoutException e) {
            throw new AssertionError(variant + " server: " + String.join(" ", command) + " still running after "
                    + TIMEOUT + ", so it was not refused\n--- stdout\n" + out + "--- stderr\n" + err);
        } catch (ExecutionException e) {
            Throwable cause =
                    e.getCause() instanceof InvocationTargetException thrown ? thrown.getCause() : e.getCause();
            throw new AssertionError(
                    variant + " server: " + String.join(" ", command)
                            + " threw instead of exiting (its main would exit 1 with this trace)",
                    cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Fails for a variant whose JVM flags might change what it accepts: those this run cannot apply. */
    static void requireRuntimeOnlyJvmFlags(ServerVariant variant) {
        for (String flag : variant.jvmArgs()) {
            if (RUNTIME_ONLY_FLAGS.stream().noneMatch(flag::startsWith)) {
                throw new IllegalStateException(variant + "'s JVM flag " + flag + " cannot be applied in process; "
                        + "if validation reads it, run its bad inputs as a real launch");
            }
        }
    }

    /**
     * A port this JVM listens on for its whole life, on the servers' default host: while 127.0.0.1:PORT listens,
     * the kernel refuses to bind it, 0.0.0.0:PORT or [::]:PORT again, with SO_REUSEADDR or SO_REUSEPORT or not.
     */
    private static final class OccupiedPort {
        /** Held in a field until the JVM exits: an unreachable socket is closed by its cleaner. */
        private static final ServerSocket LISTENER = open();

        static final int PORT = LISTENER.getLocalPort();

        private static ServerSocket open() {
            try {
                return new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
