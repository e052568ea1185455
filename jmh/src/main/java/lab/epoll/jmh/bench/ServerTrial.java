package lab.epoll.jmh.bench;

import java.net.InetSocketAddress;
import lab.epoll.jmh.load.EchoLoad;
import lab.epoll.jmh.metrics.MeasuredTrial;
import lab.epoll.catalog.ServerVariant;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What every benchmark shares: one server process per trial, one closed-loop client, the load paused between
 * iterations, and the trial registered with {@code ServerMetricsProfiler} so it can measure the server from the
 * outside. A benchmark only says how many connections it opens and how big its payload is.
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

    private BenchmarkServer server;
    protected EchoLoad load;

    /** Bytes per request (and per echo). */
    protected abstract int payloadLength();

    /** Opens the connections this scenario needs. */
    protected abstract void connect(EchoLoad load, InetSocketAddress server) throws InterruptedException;

    @Setup(Level.Trial)
    public void startServer() throws InterruptedException {
        server = BenchmarkServer.start(ServerVariant.named(variant), serverJvm, serverArgs);
        try {
            load = new EchoLoad(payloadLength());
            connect(load, server.address());
        } catch (RuntimeException | InterruptedException e) {
            server.close();
            throw e;
        }
        MeasuredTrial.begin(server.pid(), load);
    }

    @Setup(Level.Iteration)
    public void resumeLoad() {
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
            load.close();
            server.stop();
        } finally {
            server.close();
        }
    }
}
