package lab.epoll.jmh.bench;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import lab.epoll.catalog.CpuSet;
import lab.epoll.catalog.JavaRuntime;
import lab.epoll.catalog.ServerOption.Name;
import lab.epoll.catalog.ServerVariant;
import lab.epoll.process.ServerProcess;

/**
 * A variant under measurement: its runnable jar in its own JVM with fixed, recorded flags, stopped with SIGTERM
 * and required to exit 0, so a server that misbehaved during a trial cannot hand in numbers.
 */
public final class BenchmarkServer implements AutoCloseable {
    /** Server JVM flags for every trial: a fixed heap, leak detection off (it would tax the hot path). */
    public static final String DEFAULT_JVM_FLAGS =
            "-Xms512m -Xmx512m -XX:+UseG1GC -Dio.netty.leakDetection.level=disabled";

    private final ServerProcess process;

    private BenchmarkServer(ServerProcess process) {
        this.process = process;
    }

    /**
     * The idle timeout every trial runs with unless told otherwise: none, since idle connections are part of some
     * scenarios and would be closed under them.
     */
    public static final String NO_IDLE_TIMEOUT = "0";

    /**
     * Starts the variant on a free port with no idle timeout and the given extra server options, e.g.
     * {@code --busy-poll 50us} for a tuning run.
     */
    public static BenchmarkServer start(ServerVariant variant, String jvmFlags, String serverArgs) {
        return start(
                variant,
                ServerProcess.runtimeOf(variant),
                jvmFlags,
                NO_IDLE_TIMEOUT,
                serverArgs,
                CpuSet.parse(CpuSet.ALL));
    }

    /**
     * The runtime to start {@code variant} on: its own ({@link ServerProcess#runtimeOf}) for an empty
     * {@code release}, else a JDK of exactly that feature release, e.g. {@code 25}.
     */
    public static JavaRuntime runtime(ServerVariant variant, String release) {
        if (release == null || release.isBlank()) {
            return ServerProcess.runtimeOf(variant);
        }
        int feature;
        try {
            feature = Integer.parseInt(release.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("java=" + release + " is not a Java feature release such as 25");
        }
        if (feature < variant.ioModel().minimumJava()) {
            throw new IllegalArgumentException(
                    variant + " needs Java " + variant.ioModel().minimumJava() + " or later, not " + feature);
        }
        return JavaRuntime.exactly(feature)
                .orElseThrow(() -> new IllegalArgumentException(
                        "java=" + release + ": " + JavaRuntime.missing(feature).replace(" or later", "")));
    }

    /**
     * As {@link #start(ServerVariant, String, String)}, with the given {@code --idle-timeout} (for a variant that
     * has one; others run as they are) and on the given CPUs ({@code taskset -c}). The JVM sees only those CPUs,
     * so the server's defaults that follow the core count (event loops, workers) follow them too.
     */
    public static BenchmarkServer start(
            ServerVariant variant,
            JavaRuntime runtime,
            String jvmFlags,
            String idleTimeout,
            String serverArgs,
            CpuSet cpus) {
        return start(variant, runtime, jvmFlags, idleTimeout, serverArgs, cpus, ServerNamespace.HERE);
    }

    /** As {@link #start(ServerVariant, JavaRuntime, String, String, String, CpuSet)}, in a network namespace. */
    static BenchmarkServer start(
            ServerVariant variant,
            JavaRuntime runtime,
            String jvmFlags,
            String idleTimeout,
            String serverArgs,
            CpuSet cpus,
            ServerNamespace namespace) {
        List<String> args = new ArrayList<>(List.of(Name.PORT, "0"));
        args.addAll(namespace.serverArgs());
        if (variant.has(ServerVariant.Feature.IDLE_TIMEOUT)) {
            args.addAll(List.of(Name.IDLE_TIMEOUT, idleTimeout));
        }
        if (variant.has(ServerVariant.Feature.GRACEFUL_DRAIN)) {
            args.addAll(List.of(Name.SHUTDOWN_GRACE, "5s"));
        }
        args.addAll(split(serverArgs));
        List<String> prefix = new ArrayList<>(namespace.commandPrefix());
        if (cpus.pinned()) {
            prefix.addAll(List.of("taskset", "-c", cpus.text()));
        }
        return new BenchmarkServer(
                ServerProcess.startWrapped(prefix, variant, runtime, split(jvmFlags), args.toArray(String[]::new)));
    }

    private static List<String> split(String flags) {
        return flags == null || flags.isBlank()
                ? List.of()
                : Arrays.asList(flags.trim().split("\\s+"));
    }

    public long pid() {
        return process.pid();
    }

    public InetSocketAddress address() {
        return process.address();
    }

    /** Its metrics endpoint, for a server started with {@code --metrics-port}. */
    public URI metricsEndpoint() {
        return process.metricsEndpoint();
    }

    /** SIGTERM, then the graceful shutdown must end with exit code 0; a server that died already fails too. */
    public void stop() {
        boolean wasAlive = process.isAlive();
        if (wasAlive) {
            try {
                process.signal("TERM");
            } catch (IllegalStateException diedMeanwhile) {
                // kill(1) found no process: its exit code below tells how it ended.
            }
        }
        int exit = process.awaitExit(Duration.ofSeconds(60));
        if (exit != 0) {
            throw new IllegalStateException("server exited with " + exit
                    + (wasAlive ? " after SIGTERM" : " before it was asked to stop") + ":\n" + process.output());
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
