package lab.epoll.jmh.bench;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import lab.epoll.jmh.load.EchoLoad;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * (a) Closed-loop echo: C clients, each sending L bytes and waiting for the echo before sending again.
 *
 * <p>Requests per second and closed-loop round trips (service times; {@link OpenLoopBenchmark} gives latency at
 * a given load) per variant. With one client the server is mostly asleep in {@code epoll_wait}, and each request
 * costs a wake-up: the per-event overhead of each mode shows. With a thousand clients each wake-up finds many ready sockets, and what matters is the
 * work per ready socket: how many {@code read}s each mode spends before it knows a socket is drained.
 *
 * <p>The score is echoes per second ({@link EchoCounter}); closed-loop round-trip percentiles (every round trip,
 * recorded by the client) and the server's CPU and syscalls per echo come from {@code ServerMetricsProfiler}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EchoBenchmark extends ServerTrial {
    /** Concurrent connections, each with one request in flight. */
    @Param({"1", "50", "1000"})
    public int clients;

    /** Bytes per request. */
    @Param({"64", "512", "16384"})
    public int payload;

    @Override
    protected int payloadLength() {
        return payload;
    }

    @Override
    protected void connect(EchoLoad load, InetSocketAddress server) throws InterruptedException {
        load.connectActive(server, clients);
    }

    @Benchmark
    public void echo(EchoCounter counter) throws InterruptedException {
        counter.tick(load);
    }
}
