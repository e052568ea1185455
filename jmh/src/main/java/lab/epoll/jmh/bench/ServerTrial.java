package lab.epoll.jmh.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import lab.epoll.catalog.CpuSet;
import lab.epoll.catalog.ServerOption;
import lab.epoll.catalog.ServerVariant;
import lab.epoll.jmh.load.ClientLoad;
import lab.epoll.jmh.load.EchoLoad;
import lab.epoll.jmh.metrics.MeasuredTrial;
import lab.epoll.process.MetricsScrape;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * What every benchmark shares: one server process per trial pinned to its own CPUs, one closed-loop client pinned
 * to the rest, the load paused between iterations, and the trial registered with {@code ServerMetricsProfiler} so
 * it can measure the server from the outside. A benchmark only says how many connections it opens and how big
 * its payload is.
 */
@State(Scope.Benchmark)
public abstract class ServerTrial {
    /**
     * The variant's short name from {@link ServerVariant}. No default here: the harness passes the registry's
     * names, so the registry stays the only list of them.
     */
    @Param({})
    public String variant;

    /** The server JVM's flags: part of the parameters so results.json records them. */
    @Param({BenchmarkServer.DEFAULT_JVM_FLAGS})
    public String serverJvm;

    /** Extra server options, e.g. {@code --busy-poll 50us}: how the tuning runs turn one knob at a time. */
    @Param({""})
    public String serverArgs;

    /**
     * The server's {@code --idle-timeout}, for the variants that have one: none by default, as some scenarios
     * hold idle connections; {@code -p idleTimeout=60s} runs them with the timeout a user gets (a variant without
     * one, such as {@code bare}, is unaffected).
     */
    @Param({BenchmarkServer.NO_IDLE_TIMEOUT})
    public String idleTimeout;

    /** The server's CPUs ({@code taskset -c} syntax, or {@code all}); the harness passes this machine's default. */
    @Param({})
    public String serverCpus;

    /** The client's CPUs, disjoint from the server's; the harness passes this machine's default. */
    @Param({})
    public String clientCpus;

    /**
     * {@code HOST:PORT} of a server the harness did not start, e.g. on another machine: client-side metrics, and
     * the server's own with {@link #targetMetrics}; {@code variant} is only a label. Empty: start {@code variant}'s
     * jar.
     */
    @Param({""})
    public String target;

    /**
     * {@code HOST:PORT} of {@code target}'s metrics endpoint (the server started with {@code --metrics-port}): the
     * server's CPU per echo, cores, RSS and threads are then read from it at each iteration boundary, as they are
     * from {@code /proc} for a server the harness starts. Empty: client-side metrics only.
     */
    @Param({""})
    public String targetMetrics;

    /**
     * {@code NAME@ADDRESS}: start the server in network namespace NAME, listening on ADDRESS, for a client run in
     * another namespace to reach over a veth pair ({@code tools/two-namespaces/netns.sh}). Empty: here, loopback.
     */
    @Param({""})
    public String serverNetns;

    /**
     * The Java feature release the server runs on, e.g. {@code 25}, to measure one variant on two JDKs: empty for
     * the variant's own (the JVM running the harness, or a Java 21+ it finds for virtual threads: see
     * {@code JavaRuntime}). Every trial records the release that ran as its {@code server.java} metric.
     */
    @Param({""})
    public String java;

    /**
     * The closed-loop client's event loops, each driving its share of the connections with its own histogram,
     * merged per iteration: for a server one client loop cannot saturate (on a machine with the cores for it).
     */
    @Param({"1"})
    public int clientLoops;

    private BenchmarkServer server;
    protected ClientLoad load;

    /** Bytes per request (and per echo). */
    protected abstract int payloadLength();

    /**
     * Opens the connections this scenario needs, for the closed-loop client {@link #newLoad} makes by default. A
     * scenario with a client of its own overrides {@link #newLoad} instead, and never gets here.
     */
    protected void connect(EchoLoad load, InetSocketAddress server) throws InterruptedException {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " makes its own client (newLoad)");
    }

    /** The client of this scenario, connected: by default the closed loop, with {@link #connect}'s connections. */
    protected ClientLoad newLoad(InetSocketAddress server) throws InterruptedException {
        EchoLoad echo = new EchoLoad(payloadLength(), clientLoops);
        try {
            connect(echo, server);
        } catch (RuntimeException | InterruptedException e) {
            echo.close();
            throw e;
        }
        return echo;
    }

    /**
     * Server options this scenario sets for the variant, before {@code serverArgs} (whose values win: the last of
     * a repeated option counts). None by default.
     */
    protected String scenarioServerArgs(ServerVariant variant) {
        return "";
    }

    /** The threads expected to serve connections, when the scenario asks how work spreads over them; 0: not asked. */
    protected int servingThreads() {
        return 0;
    }

    /** How a scenario's client opens its connections. */
    protected interface Connecting<L> {
        void connect(L load) throws IOException;
    }

    /** The load, connected; if connecting fails, closed, and the failure says what could not be opened. */
    protected static <L extends ClientLoad> L connected(L load, Connecting<L> connecting, String what) {
        try {
            connecting.connect(load);
        } catch (IOException e) {
            load.close();
            throw new java.io.UncheckedIOException("cannot " + what, e);
        }
        return load;
    }

    @Setup(Level.Trial)
    public void startServer() throws InterruptedException {
        CpuSet serverSet = CpuSet.parse(serverCpus);
        CpuSet clientSet = CpuSet.parse(clientCpus);
        if (serverSet.pinned() && clientSet.pinned() && serverSet.overlaps(clientSet)) {
            throw new IllegalArgumentException("serverCpus=" + serverSet + " and clientCpus=" + clientSet
                    + " overlap: the client would compete with the server it measures");
        }
        ClientPinning.pinThisJvm(clientSet);
        if (target.isBlank() && !targetMetrics.isBlank()) {
            throw new IllegalArgumentException("targetMetrics=" + targetMetrics + " needs target=HOST:PORT (a server "
                    + "the harness starts is read from /proc)");
        }
        InetSocketAddress address;
        if (target.isBlank()) {
            ServerVariant named = ServerVariant.named(variant);
            server = BenchmarkServer.start(
                    named,
                    BenchmarkServer.runtime(named, java),
                    serverJvm,
                    idleTimeout,
                    (scenarioServerArgs(named) + " " + serverArgs).trim(),
                    serverSet,
                    ServerNamespace.parse(serverNetns));
            address = server.address();
        } else {
            address = External.address(target, "target");
        }
        try {
            load = newLoad(address);
        } catch (RuntimeException | InterruptedException e) {
            if (server != null) {
                server.close();
            }
            throw e;
        }
        if (server != null) {
            MeasuredTrial.begin(server.pid(), load, servingThreads());
        } else if (targetMetrics.isBlank()) {
            System.err.println("[lab] target " + target + ": client-side metrics only; start the server with "
                    + ServerOption.METRICS_PORT.with("PORT")
                    + " and add -p targetMetrics=HOST:PORT for its CPU, RSS and threads");
            MeasuredTrial.begin(MeasuredTrial.NO_SERVER, load, servingThreads());
        } else {
            InetSocketAddress metrics = External.address(targetMetrics, "targetMetrics");
            URI endpoint = MetricsScrape.endpoint(metrics.getHostString() + ":" + metrics.getPort());
            System.err.println("[lab] target " + target + ": server CPU, RSS and threads from " + endpoint
                    + "; syscall counts need perf on the server's host (perf stat -e 'syscalls:sys_enter_*' -p PID)");
            MeasuredTrial.beginRemote(endpoint, load);
        }
    }

    @Setup(Level.Iteration)
    public void resumeLoad(IterationParams iteration) {
        MeasuredTrial.startIteration(iteration.getType() == IterationType.MEASUREMENT);
        load.resume();
    }

    @TearDown(Level.Iteration)
    public void pauseLoad() {
        load.pause();
        MeasuredTrial.endIteration();
    }

    @TearDown(Level.Trial)
    public void stopServer() {
        MeasuredTrial.end();
        try {
            if (load != null) {
                load.close();
            }
            if (server != null) {
                server.stop();
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    /** Parses {@code target}. */
    static final class External {
        private External() {}

        static InetSocketAddress address(String target, String param) {
            int colon = target.lastIndexOf(':');
            try {
                if (colon <= 0) {
                    throw new NumberFormatException();
                }
                String host = target.substring(0, colon).replaceAll("^\\[|\\]$", "");
                int port = Integer.parseInt(target.substring(colon + 1));
                if (port < 1 || port > 65535) {
                    throw new NumberFormatException();
                }
                return new InetSocketAddress(host, port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(param + " '" + target + "' is not HOST:PORT");
            }
        }
    }
}
