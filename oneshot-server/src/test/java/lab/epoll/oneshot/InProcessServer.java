package lab.epoll.oneshot;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import lab.epoll.common.cli.ServerOptions;
import lab.epoll.common.server.EchoServer;
import lab.epoll.common.server.LabServer;
import lab.epoll.common.stats.ConnectionStats;
import lab.epoll.oneshot.OneshotCommand.Engine;
import lab.epoll.oneshot.kernel.KernelOneshotServer;
import lab.epoll.oneshot.netty.WorkerPoolTransport;

/**
 * One engine running inside the test JVM on a free port, so tests can read its counters and in-flight guard
 * directly. The jar as a separate process is {@link lab.epoll.process.ServerProcess}.
 */
public final class InProcessServer implements AutoCloseable {
    private final LabServer server;
    private final InFlightMonitor inFlight;
    private final InetSocketAddress address;
    private boolean stopped;

    private InProcessServer(LabServer server, InFlightMonitor inFlight) throws Exception {
        this.server = server;
        this.inFlight = inFlight;
        this.address = server.start();
    }

    /** Starts {@code engine} with {@code workers} workers and the shared options in {@code args}. */
    public static InProcessServer start(Engine engine, int workers, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--port", "0"));
        all.addAll(List.of(args));
        ServerOptions options = ServerOptions.parse(all.toArray(String[]::new));
        if (engine == Engine.kernel) {
            KernelOneshotServer kernel = new KernelOneshotServer(options, workers);
            return new InProcessServer(kernel, kernel.inFlight());
        }
        WorkerPoolTransport transport = new WorkerPoolTransport(workers);
        return new InProcessServer(new EchoServer(options, transport), transport.inFlight());
    }

    /** Wraps a server a test built itself (e.g. with a test-only constructor). */
    public static InProcessServer of(LabServer server, InFlightMonitor inFlight) throws Exception {
        return new InProcessServer(server, inFlight);
    }

    public InetSocketAddress address() {
        return address;
    }

    public ConnectionStats.Snapshot stats() {
        return server.stats();
    }

    public InFlightMonitor inFlight() {
        return inFlight;
    }

    public void stop(Duration grace) {
        if (!stopped) {
            stopped = true;
            server.stop(grace);
        }
    }

    @Override
    public void close() {
        stop(Duration.ZERO);
    }
}
